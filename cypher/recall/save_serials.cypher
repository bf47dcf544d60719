// Link a saved scope to its serials, one batch at a time.
MATCH (rs:RecallScope {id: $id})
UNWIND $rows AS epc
MATCH (i:Object {epc: epc}) USING INDEX i:Object(epc) WHERE i:Item
CREATE (rs)-[:INCLUDES]->(i)
