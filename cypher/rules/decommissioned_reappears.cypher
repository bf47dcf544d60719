// code: DECOMMISSIONED_REAPPEARS
// title: Decommissioned serial seen again
// severity: high
// subject: item
// triggers: [ObjectEvent, AggregationEvent, TransformationEvent, TransactionEvent, AssociationEvent]
// params: {}
//
// After the first ObjectEvent DELETE naming the item, any later event that saw it
// (itself or a container holding it then) fires.
CALL () {
  WITH 1 AS full WHERE $epcs IS NULL
  MATCH (i:Item) RETURN i
  UNION
  UNWIND coalesce($epcs, []) AS epc
  MATCH (i:Object {epc: epc}) USING INDEX i:Object(epc) WHERE i:Item RETURN i
}
MATCH (i)<-[:OBSERVED {role: 'epc'}]-(d)
WHERE d.type = 'ObjectEvent' AND d.action = 'DELETE' AND NOT coalesce(d.error_declared, false)
WITH i, d ORDER BY d.time, d.event_id
WITH i, collect(d)[0] AS gone
CALL (i, gone) {
  MATCH (i)<-[:OBSERVED]-(e) WHERE e.time > gone.time AND NOT coalesce(e.error_declared, false) RETURN e
  UNION
  MATCH (i) (()-[r:IN]->()){1,4} (:Object)<-[:OBSERVED]-(e)
  WHERE e.time > gone.time AND NOT coalesce(e.error_declared, false)
    AND all(x IN r WHERE x.start <= e.time AND (x.end IS NULL OR e.time <= x.end))
  RETURN e
}
WITH i, gone, e ORDER BY e.time, e.event_id
WITH i, gone, collect(e) AS later
RETURN i.epc AS subject, [gone.event_id] + [e IN later | e.event_id] AS events,
       {decommissioned: toString(gone.time), sightings_after: size(later)} AS detail, later[-1].time AS time
