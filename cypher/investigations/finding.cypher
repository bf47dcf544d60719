MATCH (i:Investigation {id: $id})
CREATE (i)-[:HAS_FINDING]->(:InvestigationFinding {id: $finding, text: $text, by: $actor, at: $now})
SET i.updated = $now
