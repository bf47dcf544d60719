MATCH (n:Product {gtin: $key})-[:VERSION]->(v:ProductVersion)
RETURN v {.*} AS version
ORDER BY v.valid_from, v.valid_to
