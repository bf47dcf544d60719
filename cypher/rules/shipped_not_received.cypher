// code: SHIPPED_NOT_RECEIVED
// title: Shipped and not received in time
// severity: medium
// subject: item
// triggers: [ObjectEvent, AggregationEvent, TransformationEvent, TransactionEvent, AssociationEvent]
// params: {max_hours: 504}
//
// A shipping event that saw the item with no receiving event seeing it within
// max_hours after; only judged once max_hours have passed ($now), so a periodic
// sweep is what catches shipments that simply never arrive.
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
WITH i, collect(e) AS es, duration({hours: $p.max_hours}) AS window
WITH i, [s IN es WHERE s.biz_step = 'shipping' AND s.time + window < $now
                   AND NOT any(r IN es WHERE r.biz_step = 'receiving'
                                         AND r.time >= s.time AND r.time <= s.time + window)] AS lost
WHERE size(lost) > 0
RETURN i.epc AS subject, [s IN lost | s.event_id] AS events, {shipments: size(lost)} AS detail,
       lost[-1].time AS time
