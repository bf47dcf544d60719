MATCH (u:User)-[:HAS_KEY]->(k:ApiKey)
WHERE $user IS NULL OR u.name = $user
RETURN k {.id, .label, .created, .expires, .revoked} AS key, u.name AS user
ORDER BY u.name, k.created
