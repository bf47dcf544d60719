// code: RECEIVED_NOT_SHIPPED
// title: Received without an earlier shipment
// severity: medium
// subject: item
// triggers: [ObjectEvent, AggregationEvent, TransformationEvent, TransactionEvent, AssociationEvent]
// params: {}
//
// A receiving event that saw the item (itself or a container holding it then)
// with no shipping event at or before it that saw the item (same way).
CALL () {
  WITH 1 AS full WHERE $epcs IS NULL
  MATCH (i:Item) RETURN i
  UNION
  UNWIND coalesce($epcs, []) AS epc
  MATCH (i:Object {epc: epc}) USING INDEX i:Object(epc) WHERE i:Item RETURN i
}
CALL (i) {
  MATCH (i)<-[:OBSERVED]-(e)
  WHERE e.biz_step IN ['shipping', 'receiving'] AND NOT coalesce(e.error_declared, false)
  RETURN e
  UNION
  MATCH (i) (()-[r:IN]->()){1,4} (:Object)<-[:OBSERVED]-(e)
  WHERE e.biz_step IN ['shipping', 'receiving'] AND NOT coalesce(e.error_declared, false)
    AND all(x IN r WHERE x.start <= e.time AND (x.end IS NULL OR e.time <= x.end))
  RETURN e
}
WITH i, e ORDER BY e.time, e.event_id
WITH i, collect(e) AS es
WITH i, [r IN es WHERE r.biz_step = 'receiving'
                   AND NOT any(s IN es WHERE s.biz_step = 'shipping' AND s.time <= r.time)] AS orphans
WHERE size(orphans) > 0
RETURN i.epc AS subject, [r IN orphans | r.event_id] AS events, {receipts: size(orphans)} AS detail,
       orphans[-1].time AS time
