// Stored facts about serials a document touches: first commissioning and bound lots.
// Events declared erroneous (stored, or in this document: $declared) do not count, so a
// corrective event may re-commission a serial into the right lot.
UNWIND $epcs AS epc
MATCH (o:Object {epc: epc}) USING INDEX o:Object(epc)
WITH o, epc, [(e)-[r:OBSERVED]->(o)  // unlabelled: expanded from o, never a scan of all events
              WHERE NOT coalesce(e.error_declared, false) AND NOT e.event_id IN $declared
                AND ((e:TransformationEvent AND r.role = 'output')
                     OR (e:ObjectEvent AND r.role = 'epc' AND (e.action = 'ADD' OR e.biz_step = 'commissioning')))
              | e.time] AS times
WHERE size(times) > 0
OPTIONAL MATCH (l:Lot)-[:HAS_ITEM]->(o)
RETURN epc, reduce(first = null, t IN times | CASE WHEN first IS NULL OR t < first THEN t ELSE first END)
         AS commissioned,
       collect(l.epc) AS lots
