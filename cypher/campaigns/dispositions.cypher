// What is recorded of each affected serial: whether it reached a consignee and any
// disposition given through the API (returned, corrected, destroyed, justified).
MATCH (:RecallCampaign {id: $id})-[a:AFFECTS]->(i:Item)
RETURN i.epc AS epc, a.consigned AS consigned, a.disposition AS disposition, a.note AS note,
       a.recorded_by AS recorded_by
ORDER BY epc
