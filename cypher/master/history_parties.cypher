MATCH (n:Party {epc: $key})-[:VERSION]->(v:PartyVersion)
RETURN v {.*} AS version
ORDER BY v.valid_from, v.valid_to
