// code: LOT_MISMATCH
// title: Serial claimed by two lots
// severity: high
// subject: item
// triggers: [ObjectEvent, TransformationEvent]
// params: {}
// sweep: whole
//
// Commissioning binds a serial to the lot in its ILMD (Lot-[:HAS_ITEM]->Item);
// two lots for one serial means one of the records is wrong. A declared commissioning
// leaves its binding stored (recall still follows it), so a binding counts only while
// an event that made it (HAS_ITEM.events) is not declared erroneous; bindings stored
// before events were kept on them always count.
// A full sweep (in one go: `sweep: whole`) counts the bindings from the lots' side (a lot's
// HAS_ITEM are grouped; an item's are found only by walking all its relationships).
CALL () {
  WITH 1 AS full WHERE $epcs IS NULL
  MATCH (:Lot)-[:HAS_ITEM]->(i:Item)
  WITH i, count(*) AS bindings WHERE bindings > 1
  RETURN i
  UNION
  UNWIND coalesce($epcs, []) AS epc
  MATCH (i:Object {epc: epc}) USING INDEX i:Object(epc) WHERE i:Item AND COUNT { (:Lot)-[:HAS_ITEM]->(i) } > 1
  RETURN i
}
MATCH (l:Lot)-[h:HAS_ITEM]->(i)
WHERE h.events IS NULL
   OR EXISTS { MATCH (b:Event) WHERE b.event_id IN h.events AND NOT coalesce(b.error_declared, false) }
WITH i, l ORDER BY l.epc
WITH i, collect(l.epc) AS lots
WHERE size(lots) > 1
MATCH (i)<-[o:OBSERVED]-(e)
WHERE (e.type = 'TransformationEvent' AND o.role = 'output'
       OR e.type = 'ObjectEvent' AND (e.action = 'ADD' OR e.biz_step = 'commissioning') AND o.role = 'epc')
  AND NOT coalesce(e.error_declared, false)
WITH i, lots, e ORDER BY e.time, e.event_id
WITH i, lots, collect(DISTINCT e.event_id) AS events, max(e.time) AS time
RETURN i.epc AS subject, events, {lots: lots} AS detail, time
