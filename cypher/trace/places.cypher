// Where a set of items went, counted here for the whole set (not item by item): the
// containers that held them (nested packing up to 4 levels, the intervals intersected),
// and the places of every event that saw an item itself, or a container while it held
// the item (inclusive interval ends, as in trace/observations). Each holder interval and
// each event is visited once however many items share it: the rows sent back are three lists.
// - sites are business locations: an event's bizLocation; without one, the site its
//   readPoint belongs to (master data: the read point's PART_OF site; else the SGLN with
//   extension 0 of the same company prefix and location reference); and the destinations
//   (type location) of shipping events.
// - read_points: every readPoint of those events (a dock or a line, not a site).
UNWIND $epcs AS epc
MATCH (i:Object {epc: epc}) USING INDEX i:Object(epc)
WITH collect(i) AS items
CALL (items) {
  UNWIND items AS i
  MATCH (i) (()-[r:IN]->()){1,4} (c:Object)
  WITH c, reduce(lo = r[0].start, x IN r | CASE WHEN x.start > lo THEN x.start ELSE lo END) AS lo,
       reduce(hi = null, x IN r | CASE WHEN x.end IS NULL THEN hi
                                       WHEN hi IS NULL OR x.end < hi THEN x.end ELSE hi END) AS hi
  WITH DISTINCT c, lo, hi WHERE hi IS NULL OR lo <= hi
  RETURN collect([c, lo, hi]) AS holders,
         collect(DISTINCT CASE WHEN c:Container THEN c.epc END) AS containers
}
CALL (items, holders) {
  CALL (items) {
    UNWIND items AS i
    MATCH (i)<-[:OBSERVED]-(e:Event)
    RETURN collect(DISTINCT e) AS direct
  }
  CALL (holders) {
    UNWIND holders AS h
    WITH h[0] AS c, h[1] AS lo, h[2] AS hi
    MATCH (c)<-[:OBSERVED]-(e:Event)
    WHERE lo <= e.time AND (hi IS NULL OR e.time <= hi)
    RETURN collect(DISTINCT e) AS carried
  }
  // (a UNION here would keep the imported lists in each row it deduplicates)
  UNWIND direct + carried AS e
  WITH DISTINCT e
  WITH e WHERE NOT coalesce(e.error_declared, false)
  WITH DISTINCT e.biz_location AS place, e.read_point AS rp,
       CASE WHEN e.biz_step = 'shipping' THEN coalesce(e.destinations, []) ELSE [] END AS dests
  WITH place, rp, dests,
       CASE WHEN place IS NULL AND rp IS NOT NULL
            THEN
            // include: trace/read_point_site
            END AS rp_site
  UNWIND [coalesce(place, rp_site)] + dests AS site
  RETURN collect(DISTINCT site) AS sites, collect(DISTINCT rp) AS read_points
}
RETURN containers, sites, read_points
