// The saved recall scopes that include a serial (internal callers' recallStatus link).
MATCH (rs:RecallScope)-[:INCLUDES]->(i:Object {epc: $epc})
RETURN rs.id AS id ORDER BY rs.created DESC LIMIT 20
