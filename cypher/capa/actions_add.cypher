MATCH (c:Capa {id: $id})
SET c.updated = $now
WITH c
UNWIND $actions AS a
CREATE (c)-[:HAS_ACTION]->(x:CapaAction)
SET x = a
