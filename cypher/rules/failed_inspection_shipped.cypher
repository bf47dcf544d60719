// code: FAILED_INSPECTION_SHIPPED
// title: Shipped after failing inspection
// severity: high
// subject: item
// triggers: [ObjectEvent, AggregationEvent, TransformationEvent, TransactionEvent, AssociationEvent]
// params: {failed: [non_conformant, damaged], cleared: [conformant]}
//
// A shipping event that saw the item after an event gave it a failed disposition,
// with no clearing disposition in between (both seen directly or via a container).
CALL () {
  WITH 1 AS full WHERE $epcs IS NULL
  MATCH (i:Item) RETURN i
  UNION
  UNWIND coalesce($epcs, []) AS epc
  MATCH (i:Object {epc: epc}) USING INDEX i:Object(epc) WHERE i:Item RETURN i
}
CALL (i) {
  MATCH (i)<-[:OBSERVED]-(e)
  WHERE (e.biz_step = 'shipping' OR e.disposition IN $p.failed OR e.disposition IN $p.cleared)
    AND NOT coalesce(e.error_declared, false)
  RETURN e
  UNION
  MATCH (i) (()-[r:IN]->()){1,4} (:Object)<-[:OBSERVED]-(e)
  WHERE (e.biz_step = 'shipping' OR e.disposition IN $p.failed OR e.disposition IN $p.cleared)
    AND NOT coalesce(e.error_declared, false)
    AND all(x IN r WHERE x.start <= e.time AND (x.end IS NULL OR e.time <= x.end))
  RETURN e
}
WITH i, e ORDER BY e.time, e.event_id
WITH i, collect(e) AS es
UNWIND [s IN es WHERE s.biz_step = 'shipping'] AS s
WITH i, s, [f IN es WHERE f.disposition IN $p.failed AND f.time <= s.time AND f <> s
                      AND NOT any(ok IN es WHERE ok.disposition IN $p.cleared
                                            AND ok.time > f.time AND ok.time <= s.time)] AS fails
WHERE size(fails) > 0
UNWIND fails + [s] AS e
WITH DISTINCT i, e
WITH i, e ORDER BY e.time, e.event_id
WITH i, collect(e.event_id) AS events, max(e.time) AS time
RETURN i.epc AS subject, events, {} AS detail, time
