MATCH (u:User)-[:HAS_KEY]->(k:ApiKey {id: $id})
WITH u, k, k.revoked AS before
SET k.revoked = coalesce(k.revoked, $now)
RETURN u.name AS user, before
