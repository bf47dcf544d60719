// code: LOT_MISMATCH
// title: Serial claimed by two lots
// severity: high
// subject: item
// triggers: [ObjectEvent, TransformationEvent]
// params: {}
//
// Commissioning binds a serial to the lot in its ILMD (Lot-[:HAS_ITEM]->Item);
// two lots for one serial means one of the records is wrong.
CALL () {
  WITH 1 AS full WHERE $epcs IS NULL
  MATCH (i:Item) RETURN i
  UNION
  UNWIND coalesce($epcs, []) AS epc
  MATCH (i:Object {epc: epc}) WHERE i:Item RETURN i
}
MATCH (l:Lot)-[:HAS_ITEM]->(i)
WITH i, l ORDER BY l.epc
WITH i, collect(l.epc) AS lots
WHERE size(lots) > 1
MATCH (i)<-[o:OBSERVED]-(e)
WHERE e.type = 'TransformationEvent' AND o.role = 'output'
   OR e.type = 'ObjectEvent' AND (e.action = 'ADD' OR e.biz_step = 'commissioning') AND o.role = 'epc'
WITH i, lots, e ORDER BY e.time, e.event_id
WITH i, lots, collect(DISTINCT e.event_id) AS events, max(e.time) AS time
RETURN i.epc AS subject, events, {lots: lots} AS detail, time
