// The snapshot: each affected serial, and whether it reached a consignee.
UNWIND $rows AS r
MATCH (c:RecallCampaign {id: $id})
MATCH (i:Object {epc: r.epc}) USING INDEX i:Object(epc)
MERGE (c)-[a:AFFECTS]->(i)
SET a.consigned = coalesce(a.consigned, false) OR r.consigned
