// code: SHIP_ON_HOLD
// title: Held stock shipped (flag hold)
// severity: high
// subject: item
// triggers: [ObjectEvent, AggregationEvent, TransformationEvent, TransactionEvent, AssociationEvent]
// params: {steps: [shipping, dispatching]}
//
// A shipping event captured (recorded) while a hold covered the item, a container
// it was in, or the site it shipped from. Judged by capture time, so later holds do not rewrite history.
// With no hold ever placed (the usual case) nothing can fire: stop before walking histories.
CALL () { MATCH (h:Hold) RETURN count(h) AS holds }
WITH holds WHERE holds > 0
CALL () {
  WITH 1 AS full WHERE $epcs IS NULL
  MATCH (i:Item) RETURN i
  UNION
  UNWIND coalesce($epcs, []) AS epc
  MATCH (i:Object {epc: epc}) USING INDEX i:Object(epc) WHERE i:Item RETURN i
}
CALL (i) {
  MATCH (i)<-[:OBSERVED]-(e) WHERE e.biz_step IN $p.steps AND NOT coalesce(e.error_declared, false) RETURN e
  UNION
  MATCH (i) (()-[r:IN]->()){1,4} (:Object)<-[:OBSERVED]-(e)
  WHERE e.biz_step IN $p.steps AND NOT coalesce(e.error_declared, false)
    AND all(x IN r WHERE x.start <= e.time AND (x.end IS NULL OR e.time <= x.end))
  RETURN e
}
CALL (i, e) {
  MATCH (h:Hold)-[:HOLDS]->(i) RETURN h
  UNION
  MATCH (i) (()-[r:IN]->()){1,4} (:Object)<-[:HOLDS]-(h:Hold)
  WHERE all(x IN r WHERE x.start <= e.time AND (x.end IS NULL OR e.time <= x.end))
  RETURN h
  UNION
  MATCH (h:Hold {kind: 'site', target: e.biz_location}) RETURN h
}
WITH i, e, h
WHERE h.created <= e.recorded AND (h.released IS NULL OR e.recorded < h.released)
WITH i, e, collect(DISTINCT h.id) AS holds ORDER BY e.time, e.event_id
WITH i, collect(e.event_id) AS events, reduce(a = [], hs IN collect(holds) | a + [x IN hs WHERE NOT x IN a]) AS holds,
     max(e.time) AS time
RETURN i.epc AS subject, events, {holds: holds} AS detail, time
