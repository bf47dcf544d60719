// The events a finding is about (by relationship, not just the stored ids).
MATCH (f:Finding {id: $id})-[:ABOUT]->(e:Event)
RETURN e.event_id AS event_id
ORDER BY event_id
