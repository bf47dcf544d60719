// Open alerts of the rules judged over the same subjects ($rules; $subjects, null = all) that
// this run did not see again: the condition is gone, so the system resolves them. Alerts a
// person has taken up (acknowledged, investigating) stay with that person.
MATCH (a:Alert)
WHERE a.rule IN $rules AND a.state = 'open' AND a.run <> $run AND ($subjects IS NULL OR a.subject IN $subjects)
SET a.state = 'resolved', a.open_key = null, a.updated = $now, a.closed = $now
CREATE (a)-[:STEP]->(:AlertStep {from: 'open', to: 'resolved', by: $actor, at: $now, reason: $reason})
RETURN a.id AS id
