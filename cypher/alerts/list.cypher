// Alerts, newest first, filtered (every filter optional).
MATCH (a:Alert)
WHERE ($state IS NULL OR a.state = $state) AND ($rule IS NULL OR a.rule = $rule)
  AND ($severity IS NULL OR a.severity = $severity) AND ($team IS NULL OR a.team = $team)
  AND ($subject IS NULL OR a.subject = $subject)
  AND ($since IS NULL OR a.created >= $since) AND ($until IS NULL OR a.created < $until)
WITH a ORDER BY a.created DESC, a.id
SKIP $offset LIMIT $limit
RETURN a {.*, open_key: null} AS alert,
       COLLECT { MATCH (a)-[:STEP]->(s:AlertStep) RETURN s {.*} AS step ORDER BY s.at } AS steps
