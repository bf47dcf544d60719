// recall/where as of $as_of (not null) for a chunk of items at once, by the same rules: each
// item's own events and those of the containers that held it then (trace/packed_as_of: a packing
// counts once its event had happened and been recorded, an unpacking only then too), as known
// then. As recall/item_now does for the current state, each holder's packing intervals and events
// are read once for all the items packed in it, not once per item (a case of 50 items: its
// events once, not 50 times), and each event's properties once for all the items it saw.
// Every walk starts from the items or from what holds them. Same columns as recall/where.
UNWIND $epcs AS epc
MATCH (i:Object {epc: epc}) USING INDEX i:Object(epc)
WITH collect(i) AS items
CALL (items) {
  // every item once, seen or not, so that each gets a row
  UNWIND items AS i
  RETURN null AS e, i, false AS named, false AS direct, null AS spans
  UNION ALL
  UNWIND items AS i
  MATCH (i)<-[o:OBSERVED]-(e:Event)
  WHERE e.time <= $as_of AND e.recorded <= $as_of
  RETURN e, i, o.role = 'epc' AS named, true AS direct, null AS spans
  UNION ALL
  // the holders known then (trace/packed_as_of), each with the items in it and each chain's
  // intervals as known then (an unpacking not yet recorded leaves its interval open)
  UNWIND items AS i
  // include: trace/packed_as_of
  WITH c, collect([i, [n IN range(0, size(r) - 1) | [r[n].start, ends[n]]]]) AS held
  MATCH (c)<-[:OBSERVED]-(e:Event)
  WHERE e.time <= $as_of AND e.recorded <= $as_of
  UNWIND held AS h
  RETURN e, h[0] AS i, false AS named, false AS direct, h[1] AS spans
}
// by event; the rows with no event (each item once) make one group of their own
WITH e, collect([i, named, direct, spans]) AS seers
WHERE e IS NULL OR
  // include: trace/counts_as_of
WITH e.time AS t, e.recorded AS recorded, e.seq AS seq, seers,
     e {.type, .action, .disposition, .biz_location, .read_point, .destinations, ms: e.time.epochMillis} AS ev
CALL (t, seers) {
  // the items this event saw: directly, or through a holder within the packing intervals;
  // one row per item, however many ways it saw it
  UNWIND seers AS s
  WITH s WHERE s[3] IS NULL OR all(x IN s[3] WHERE x[0] <= t AND (x[1] IS NULL OR t <= x[1]))
  RETURN s[0] AS i, any(y IN collect(s) WHERE y[1]) AS named, any(y IN collect(s) WHERE y[2]) AS direct
}
WITH i, t, recorded, seq, ev {.*, named: named, direct: direct} AS x
ORDER BY t, recorded, seq
WITH i.epc AS epc, collect(x) AS seen
WITH epc, seen, [x IN seen | coalesce(x.biz_location, x.read_point, '')] AS at
RETURN collect(epc) AS epcs,
       collect(reduce(site = '', p IN at | CASE WHEN p = '' THEN site ELSE p END)) AS sites,
       collect(reduce(st = 'unknown', x IN seen |
                      CASE WHEN x.type = 'ObjectEvent' AND x.action = 'DELETE' AND x.named THEN 'decommissioned'
                           WHEN x.disposition IS NOT NULL THEN x.disposition ELSE st END)) AS statuses,
       collect(any(x IN seen WHERE x.direct)) AS directs,
       collect([x IN seen WHERE size(coalesce(x.destinations, [])) > 0 | [x.ms, x.destinations]]) AS shipments
