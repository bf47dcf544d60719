// Move an alert from $from to $to (only if it is still in $from: concurrent moves lose).
MATCH (a:Alert {id: $id}) WHERE a.state = $from
SET a.state = $to, a.updated = $now,
    a.open_key = CASE WHEN $closes THEN null ELSE a.open_key END,
    a.closed = CASE WHEN $closes THEN $now ELSE a.closed END
CREATE (a)-[:STEP]->(:AlertStep {from: $from, to: $to, by: $actor, at: $now, reason: $reason})
RETURN a.id AS id
