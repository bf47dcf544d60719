MATCH (u:User {name: $user})
CREATE (u)-[:HAS_KEY]->(k:ApiKey)
SET k = $props
RETURN k.id AS id
