// Fragment (included, never run alone; graph/queries.py `// include:`): for each of $epcs, the
// events that saw the item (trace/observations.cypher says by which rules) as `seen`, in time
// order, each once, via the innermost container that carried it (null when the event named the
// item); and (only when $with_events) `events`, the timeline rows (trace/observations,
// serials/timeline). An event without destinations has none stored: its row shows [].
UNWIND $epcs AS epc
MATCH (i:Object {epc: epc}) USING INDEX i:Object(epc)
CALL (i) {
  MATCH (i)<-[o:OBSERVED]-(e:Event)
  WHERE ($as_of IS NULL OR (e.time <= $as_of AND e.recorded <= $as_of)) AND
    // include: trace/counts_as_of
  RETURN e, null AS via, 0 AS depth, o.role = 'epc' AS named
  UNION
  WITH i WHERE $as_of IS NULL
  MATCH (i) (()-[r:IN]->()){1,4} (c:Object)<-[:OBSERVED]-(e:Event)
  WHERE all(x IN r WHERE x.start <= e.time AND (x.end IS NULL OR e.time <= x.end))
    AND NOT coalesce(e.error_declared, false)
  RETURN e, c.epc AS via, size(r) AS depth, false AS named
  UNION
  // include: trace/via_as_of
  RETURN e, c.epc AS via, size(r) AS depth, false AS named
}
WITH epc, e, via, depth, named ORDER BY depth
WITH epc, e, collect(via)[0] AS via, min(depth) AS depth, any(n IN collect(named) WHERE n) AS named
ORDER BY e.time, e.recorded, e.seq
WITH epc, collect({event: e, via: CASE WHEN depth = 0 THEN null ELSE via END, named: named}) AS seen
WITH epc, seen,
     CASE WHEN $with_events
       THEN [s IN seen | {event_id: s.event.event_id, type: s.event.type, time: s.event.time,
                          action: s.event.action, biz_step: s.event.biz_step, disposition: s.event.disposition,
                          read_point: s.event.read_point, destinations: coalesce(s.event.destinations, []),
                          site: coalesce(s.event.biz_location, s.event.read_point), via: s.via}]
       ELSE [] END AS events
