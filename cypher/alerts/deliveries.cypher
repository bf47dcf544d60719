// The webhook delivery log of an alert (or of all alerts), with attempts.
MATCH (a:Alert)-[:NOTIFIED]->(d:Delivery)
WHERE $alert IS NULL OR a.id = $alert
WITH a, d ORDER BY d.created DESC
LIMIT $limit
RETURN a.id AS alert, d.id AS id, d.url AS url, d.state AS state, d.attempts AS attempts,
       d.last_status AS last_status, d.last_error AS last_error, d.created AS created,
       COLLECT { MATCH (d)-[:ATTEMPT]->(t:DeliveryAttempt) RETURN t {.*} AS t ORDER BY t.n } AS log
