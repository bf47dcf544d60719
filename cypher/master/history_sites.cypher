MATCH (n:Site {epc: $key})-[:VERSION]->(v:SiteVersion)
RETURN v {.*} AS version
ORDER BY v.valid_from, v.valid_to
