// Each item's state and places now, in ONE walk of its history: what recall/where (no as-of)
// and recall/item_places answer separately, for the writer (tracegraph/recalls/state.py
// `store`), which used to walk every affected item twice. Every walk starts from the items
// or from what holds them, so no plan can start from the events: a plan cached while the
// store was empty would otherwise scan every event of the writer's own transaction per holder.
// The walks are gathered for the whole chunk, not item by item: each holder's events are
// expanded once for all the items packed in it (a path keeps its packing intervals, read
// once), and each event's properties are read once for all the items it saw.
// One record of parallel columns; the lists of places are sorted and deduplicated in Python.
UNWIND $epcs AS epc
MATCH (i:Object {epc: epc}) USING INDEX i:Object(epc)
WITH collect(i) AS items
CALL (items) {
  // every item once, seen or not, so that each gets a row
  UNWIND items AS i
  RETURN null AS e, i, false AS named, false AS direct, null AS spans, null AS container
  UNION ALL
  UNWIND items AS i
  MATCH (i)<-[o:OBSERVED]-(e)
  RETURN e, i, o.role = 'epc' AS named, true AS direct, null AS spans, null AS container
  UNION ALL
  // holders up to 4 levels, each with the items in it and each path's packing intervals
  UNWIND items AS i
  MATCH (i)-[r:IN*1..4]->(c)
  WITH c, collect([i, [x IN r | [x.start, x.end]]]) AS held
  CALL (c, held) {
    // a Container that held the item over a non-empty intersection of the intervals
    // (every start before every end)
    WITH c, held WHERE c:Container
    WITH c.epc AS container, held
    UNWIND held AS h
    WITH container, h WHERE all(x IN h[1] WHERE all(y IN h[1] WHERE y[1] IS NULL OR x[0] <= y[1]))
    RETURN null AS e, h[0] AS i, null AS spans, container
    UNION ALL
    WITH c, held WHERE c:Object
    MATCH (c)<-[:OBSERVED]-(e)
    UNWIND held AS h
    RETURN e, h[0] AS i, h[1] AS spans, null AS container
  }
  RETURN e, i, false AS named, false AS direct, spans, container
}
// by event; the rows with no event (each item, its containers) make one group of their own
WITH e, collect([i, named, direct, spans, container]) AS seers
WHERE e IS NULL OR (e:Event AND NOT coalesce(e.error_declared, false))
WITH e.time AS t, e.recorded AS recorded, e.seq AS seq, seers,
     e {.type, .action, .disposition, .biz_step, .biz_location, .read_point, .destinations,
        ms: e.time.epochMillis} AS ev
CALL (t, seers) {
  // the items this event saw: directly, or through a holder within the packing intervals;
  // one row per item, however many ways it saw it
  UNWIND seers AS s
  WITH s WHERE s[3] IS NULL OR all(x IN s[3] WHERE x[0] <= t AND (x[1] IS NULL OR t <= x[1]))
  RETURN s[0] AS i, any(y IN collect(s) WHERE y[1]) AS named, any(y IN collect(s) WHERE y[2]) AS direct,
         collect(DISTINCT s[4]) AS containers
}
WITH i, t, recorded, seq, containers, ev {.*, named: named, direct: direct} AS x
ORDER BY t, recorded, seq
WITH i, collect(x) AS seen, reduce(cs = [], c IN collect(containers) | cs + c) AS containers
WITH i.epc AS epc, containers, seen, [x IN seen | coalesce(x.biz_location, x.read_point, '')] AS at
ORDER BY epc  // the groups come in no set order
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
       collect([x IN seen WHERE x.read_point IS NOT NULL | x.read_point]) AS read_points,
       // the time of its latest event, 0 for none (recalls/state.py `store`: after which moment the
       // stored state answers an as-of question too)
       collect(reduce(m = 0, x IN seen | CASE WHEN x.ms > m THEN x.ms ELSE m END)) AS latest
