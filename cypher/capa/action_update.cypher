MATCH (c:Capa {id: $id})-[:HAS_ACTION]->(a:CapaAction {id: $action})
SET a += $changes, c.updated = $now
RETURN a.id AS id
