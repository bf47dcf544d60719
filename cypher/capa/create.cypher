CREATE (c:Capa {id: $id, title: $title, description: $description, state: 'open', owner: $owner, due: $due,
                effectiveness_criteria: $criteria, created: $now, created_by: $actor, updated: $now})
WITH c
CALL (c) {
  UNWIND $investigations AS inv
  MATCH (i:Investigation {id: inv})
  MERGE (c)-[:ADDRESSES]->(i)
}
RETURN c.id AS id
