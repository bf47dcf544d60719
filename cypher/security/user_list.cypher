MATCH (u:User)
OPTIONAL MATCH (u)-[:HAS_KEY]->(k:ApiKey)
WITH u, count(k) AS keys
ORDER BY u.name
RETURN u {.name, .roles, .party, .display_name, .disabled, .created} AS user, keys
