// Record the disposition of affected serials (given through the API or the CLI).
UNWIND $rows AS r
MATCH (:RecallCampaign {id: $id})-[a:AFFECTS]->(i:Item {epc: r.epc})
SET a.disposition = r.disposition, a.note = r.note, a.recorded = datetime($now), a.recorded_by = $actor,
    a.site = r.site
RETURN i.epc AS epc
