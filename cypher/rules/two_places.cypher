// code: TWO_PLACES
// title: Seen at two sites closer in time than plausible travel
// severity: high
// subject: item
// triggers: [ObjectEvent, AggregationEvent, TransformationEvent, TransactionEvent, AssociationEvent]
// params: {max_minutes: 60}
//
// Every event that saw the item (itself or a container holding it at the time),
// sorted by UTC time; two consecutive sightings at different places less than
// max_minutes apart fire. Checking consecutive pairs is enough: any closer
// cross-site pair contains a consecutive one at least as close.
CALL () {
  WITH 1 AS full WHERE $epcs IS NULL
  MATCH (i:Item) RETURN i
  UNION
  UNWIND coalesce($epcs, []) AS epc
  MATCH (i:Object {epc: epc}) USING INDEX i:Object(epc) WHERE i:Item RETURN i
}
CALL (i) {
  MATCH (i)<-[:OBSERVED]-(e) WHERE NOT coalesce(e.error_declared, false) RETURN e
  UNION
  MATCH (i) (()-[r:IN]->()){1,4} (:Object)<-[:OBSERVED]-(e)
  WHERE NOT coalesce(e.error_declared, false)
    AND all(x IN r WHERE x.start <= e.time AND (x.end IS NULL OR e.time <= x.end))
  RETURN e
}
WITH i, e, coalesce(e.biz_location, e.read_point) AS place
WHERE place IS NOT NULL
WITH i, e, place ORDER BY e.time, e.event_id
WITH i, collect({id: e.event_id, time: e.time, place: place}) AS seen
WITH i, [k IN range(0, size(seen) - 2)
         WHERE seen[k].place <> seen[k + 1].place
           AND duration.inSeconds(seen[k].time, seen[k + 1].time).seconds < $p.max_minutes * 60
         | [seen[k], seen[k + 1]]] AS pairs
WHERE size(pairs) > 0
WITH i, reduce(acc = [], pr IN pairs | acc + [x IN pr WHERE NOT x.id IN [a IN acc | a.id]]) AS hits,
     reduce(m = null, pr IN pairs |
            CASE WHEN m IS NULL OR duration.inSeconds(pr[0].time, pr[1].time).seconds < m
                 THEN duration.inSeconds(pr[0].time, pr[1].time).seconds ELSE m END) AS gap
RETURN i.epc AS subject, [h IN hits | h.id] AS events,
       {places: reduce(ps = [], h IN hits | CASE WHEN h.place IN ps THEN ps ELSE ps + h.place END),
        min_gap_minutes: gap / 60.0} AS detail,
       hits[-1].time AS time
