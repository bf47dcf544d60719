// Where each serial of a scope is, by the rules of trace/observations.cypher (latest
// place; status: a DELETE naming the item means 'decommissioned', else the latest
// disposition), but lean for big scopes: no timeline, no site list, and one record of
// parallel columns (the driver hydrates that far faster than a record per serial).
// `direct`: some event named the item itself; shipments: [epoch ms, destinations].
// Item by item: the check on what the writer stores (recall/item_now) and on the as-of reads
// by chunk (recall/where_as_of, which recall scopes use) in the tests.
UNWIND $epcs AS epc
MATCH (i:Object {epc: epc}) USING INDEX i:Object(epc)
CALL (i) {
  MATCH (i)<-[o:OBSERVED]-(e:Event)
  WHERE ($as_of IS NULL OR (e.time <= $as_of AND e.recorded <= $as_of)) AND
    // include: trace/counts_as_of
  RETURN e, o.role = 'epc' AS named, true AS direct
  UNION
  WITH i WHERE $as_of IS NULL
  MATCH (i) (()-[r:IN]->()){1,4} (c:Object)<-[:OBSERVED]-(e:Event)
  WHERE all(x IN r WHERE x.start <= e.time AND (x.end IS NULL OR e.time <= x.end))
    AND NOT coalesce(e.error_declared, false)
  RETURN e, false AS named, false AS direct
  UNION
  // include: trace/via_as_of
  RETURN e, false AS named, false AS direct
}
WITH epc, e, any(n IN collect(named) WHERE n) AS named, any(d IN collect(direct) WHERE d) AS direct
ORDER BY e.time, e.recorded, e.seq
WITH epc, any(d IN collect(direct) WHERE d) AS direct,
     reduce(site = '', p IN collect(coalesce(e.biz_location, e.read_point, '')) |
            CASE WHEN p = '' THEN site ELSE p END) AS site,
     reduce(st = 'unknown', x IN collect([e.type = 'ObjectEvent' AND e.action = 'DELETE' AND named, e.disposition]) |
            CASE WHEN x[0] THEN 'decommissioned' WHEN x[1] IS NOT NULL THEN x[1] ELSE st END) AS status,
     collect(CASE WHEN size(coalesce(e.destinations, [])) > 0 THEN [e.time.epochMillis, e.destinations] END)
       AS shipments
RETURN collect(epc) AS epcs, collect(site) AS sites, collect(status) AS statuses, collect(direct) AS directs,
       collect(shipments) AS shipments
