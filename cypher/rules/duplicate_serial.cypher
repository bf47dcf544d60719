// code: DUPLICATE_SERIAL
// title: Serial commissioned more than once
// severity: high
// subject: item
// triggers: [ObjectEvent, TransformationEvent]
// params: {}
//
// Commissioning = an ObjectEvent ADD naming the item, or the item as output of a
// TransformationEvent. A second one means a cloned or re-used serial number.
CALL () {
  WITH 1 AS full WHERE $epcs IS NULL
  MATCH (i:Item) RETURN i
  UNION
  UNWIND coalesce($epcs, []) AS epc
  MATCH (i:Object {epc: epc}) USING INDEX i:Object(epc) WHERE i:Item RETURN i
}
MATCH (i)<-[o:OBSERVED]-(e)
WHERE ((e.type = 'ObjectEvent' AND e.action = 'ADD' AND o.role = 'epc')
       OR (e.type = 'TransformationEvent' AND o.role = 'output'))
  AND NOT coalesce(e.error_declared, false)
WITH i, e ORDER BY e.time, e.event_id
WITH i, collect(DISTINCT e) AS es
WHERE size(es) > 1
RETURN i.epc AS subject, [e IN es | e.event_id] AS events, {commissionings: size(es)} AS detail,
       es[-1].time AS time
