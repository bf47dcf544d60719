MATCH (c:Capa {id: $id})
CREATE (c)-[:VERIFIED_BY]->(v:CapaVerification)
SET v = $verification, c.updated = $now
