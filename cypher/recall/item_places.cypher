// Where each item went, item by item, by the rules of trace/places.cypher (which counts a
// whole set at once): stored with the item's state (ingest/item_state) so a trace unites
// stored lists instead of walking histories. One record of parallel columns.
// - containers: Container nodes that held the item, nested up to 4 levels, over a non-empty
//   intersection of the packing intervals;
// - places: bizLocations of the events that saw the item, or a holder within that interval
//   (inclusive ends; error-declared events excluded), and the destinations of shipping events;
// - bare: read points of those events without a bizLocation (their site is resolved when
//   read: trace/read_point_site; master data can change later);
// - read_points: every read point of those events.
UNWIND $epcs AS epc
MATCH (i:Object {epc: epc}) USING INDEX i:Object(epc)
CALL (i) {
  // (an aggregating subquery answers one row even when nothing matched)
  MATCH (i) (()-[r:IN]->()){1,4} (c:Object)
  WITH c, reduce(lo = r[0].start, x IN r | CASE WHEN x.start > lo THEN x.start ELSE lo END) AS lo,
       reduce(hi = null, x IN r | CASE WHEN x.end IS NULL THEN hi
                                       WHEN hi IS NULL OR x.end < hi THEN x.end ELSE hi END) AS hi
  WITH DISTINCT c, lo, hi WHERE hi IS NULL OR lo <= hi
  RETURN collect([c, lo, hi]) AS holders, collect(DISTINCT CASE WHEN c:Container THEN c.epc END) AS containers
}
CALL (i, holders) {
  CALL (i, holders) {
    MATCH (i)<-[:OBSERVED]-(e:Event)
    RETURN e
    UNION
    UNWIND holders AS h
    WITH h[0] AS c, h[1] AS lo, h[2] AS hi
    MATCH (c)<-[:OBSERVED]-(e:Event)
    WHERE lo <= e.time AND (hi IS NULL OR e.time <= hi)
    RETURN e
  }
  WITH e WHERE NOT coalesce(e.error_declared, false)
  RETURN collect(DISTINCT e.biz_location) AS located,
         collect(CASE WHEN e.biz_step = 'shipping' THEN e.destinations END) AS shipped,
         collect(DISTINCT CASE WHEN e.biz_location IS NULL THEN e.read_point END) AS bare,
         collect(DISTINCT e.read_point) AS read_points
}
RETURN collect(epc) AS epcs, collect(containers) AS containers,
       collect(located + reduce(d = [], x IN shipped | d + x)) AS places, collect(bare) AS bare,
       collect(read_points) AS read_points
