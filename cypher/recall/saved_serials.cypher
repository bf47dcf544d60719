// The serials of a saved recall scope; no row when the scope is unknown.
MATCH (rs:RecallScope {id: $id})
OPTIONAL MATCH (rs)-[:INCLUDES]->(i:Item)
WITH rs, i ORDER BY i.epc
RETURN rs.id AS id, collect(i.epc) AS serials
