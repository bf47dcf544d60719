// Deliveries still to try, oldest first.
MATCH (a:Alert)-[:NOTIFIED]->(d:Delivery {state: 'pending'})
RETURN d.id AS id, d.url AS url, d.payload AS payload, d.attempts AS attempts
ORDER BY d.created, d.id
LIMIT $limit
