// Each item's state and places now, in ONE walk of its history: what recall/where (no as-of)
// and recall/item_places answer separately, for the writer (tracegraph/recalls/state.py
// `store`), which used to walk every affected item twice. Every walk is one path pattern from
// the item, so no plan can start from the events: a plan cached while the store was empty
// would otherwise scan every event of the writer's own transaction per holder.
// One record of parallel columns; the lists of places are sorted and deduplicated in Python.
UNWIND $epcs AS epc
MATCH (i:Object {epc: epc}) USING INDEX i:Object(epc)
CALL (i) {
  // containers that held the item, up to 4 levels, over a non-empty intersection of the
  // packing intervals (every start before every end)
  MATCH (i) (()-[r:IN]->()){1,4} (c:Container)
  WHERE all(x IN r WHERE all(y IN r WHERE y.end IS NULL OR x.start <= y.end))
  RETURN collect(DISTINCT c.epc) AS containers
}
CALL (i) {
  CALL (i) {
    MATCH (i)<-[o:OBSERVED]-(e:Event)
    WHERE NOT coalesce(e.error_declared, false)
    RETURN e, o.role = 'epc' AS named, true AS direct
    UNION
    MATCH (i) (()-[r:IN]->()){1,4} (:Object)<-[:OBSERVED]-(e:Event)
    WHERE all(x IN r WHERE x.start <= e.time AND (x.end IS NULL OR e.time <= x.end))
      AND NOT coalesce(e.error_declared, false)
    RETURN e, false AS named, false AS direct
  }
  WITH e, any(n IN collect(named) WHERE n) AS named, any(d IN collect(direct) WHERE d) AS direct
  ORDER BY e.time, e.recorded, e.seq
  RETURN collect(e {.type, .action, .disposition, .biz_step, .biz_location, .read_point, .destinations,
                    ms: e.time.epochMillis, named: named, direct: direct}) AS seen
}
WITH epc, containers, seen, [x IN seen | coalesce(x.biz_location, x.read_point, '')] AS at
RETURN collect(epc) AS epcs,
       // as recall/where
       collect(reduce(site = '', p IN at | CASE WHEN p = '' THEN site ELSE p END)) AS sites,
       collect(reduce(st = 'unknown', x IN seen |
                      CASE WHEN x.type = 'ObjectEvent' AND x.action = 'DELETE' AND x.named THEN 'decommissioned'
                           WHEN x.disposition IS NOT NULL THEN x.disposition ELSE st END)) AS statuses,
       collect(any(x IN seen WHERE x.direct)) AS directs,
       collect([x IN seen WHERE size(coalesce(x.destinations, [])) > 0 | [x.ms, x.destinations]]) AS shipments,
       // as recall/item_places
       collect(containers) AS containers,
       collect([x IN seen WHERE x.biz_location IS NOT NULL | x.biz_location] +
               reduce(d = [], x IN seen | CASE WHEN x.biz_step = 'shipping' THEN d + coalesce(x.destinations, [])
                                               ELSE d END)) AS places,
       collect([x IN seen WHERE x.biz_location IS NULL AND x.read_point IS NOT NULL | x.read_point]) AS bare,
       collect([x IN seen WHERE x.read_point IS NOT NULL | x.read_point]) AS read_points
