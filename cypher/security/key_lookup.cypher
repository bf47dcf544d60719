// The key and its owner, for authenticating one request.
MATCH (u:User)-[:HAS_KEY]->(k:ApiKey {id: $id})
RETURN k {.id, .hash, .expires, .revoked} AS key, u {.name, .roles, .party, .disabled} AS user
