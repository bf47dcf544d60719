// What each item went through: every event that saw it directly, or through a
// container (up to 4 levels) that held it at the event's time (all packing
// intervals cover the event). Summarised here, not in Python, so a big scope
// returns one row per item:
// - sites: every event place (bizLocation, else readPoint) and shipment destination;
// - site: the latest place; status: walking events in time order, an ObjectEvent
//   DELETE naming the item itself means 'decommissioned', else the latest disposition;
// - events (only when $with_events): the timeline, each event once, via the
//   innermost container that carried it (null when the event named the item);
// - shipments (only when $with_shipments): time (epoch ms: cheap to hydrate) and destinations
//   of each shipment;
// - direct: some event named the item itself (it was known, not only its container).
// $as_of (or null): only events both recorded and happened by then count.
UNWIND $epcs AS epc
MATCH (i:Object {epc: epc}) USING INDEX i:Object(epc)
CALL (i) {
  MATCH (i)<-[o:OBSERVED]-(e:Event)
  WHERE ($as_of IS NULL OR (e.time <= $as_of AND e.recorded <= $as_of)) AND NOT coalesce(e.error_declared, false)
  RETURN e, null AS via, 0 AS depth, o.role = 'epc' AS named
  UNION
  MATCH (i) (()-[r:IN]->()){1,4} (c:Object)<-[:OBSERVED]-(e:Event)
  WHERE all(x IN r WHERE x.start <= e.time AND (x.end IS NULL OR e.time <= x.end))
    AND ($as_of IS NULL OR (e.time <= $as_of AND e.recorded <= $as_of)) AND NOT coalesce(e.error_declared, false)
  RETURN e, c.epc AS via, size(r) AS depth, false AS named
}
WITH epc, e, via, depth, named ORDER BY depth
WITH epc, e, collect(via)[0] AS via, min(depth) AS depth, any(n IN collect(named) WHERE n) AS named
ORDER BY e.time, e.recorded, e.seq
WITH epc, collect({event: e, via: CASE WHEN depth = 0 THEN null ELSE via END, named: named}) AS seen
WITH epc, seen, [s IN seen | coalesce(s.event.biz_location, s.event.read_point)] AS places
RETURN epc,
  reduce(acc = [], p IN places + reduce(d = [], s IN seen | d + coalesce(s.event.destinations, [])) |
         CASE WHEN p IS NULL OR p IN acc THEN acc ELSE acc + p END) AS sites,
  reduce(site = null, p IN places | coalesce(p, site)) AS site,
  any(s IN seen WHERE s.via IS NULL) AS direct,
  reduce(st = 'unknown', s IN seen |
         CASE WHEN s.event.type = 'ObjectEvent' AND s.event.action = 'DELETE' AND s.named THEN 'decommissioned'
              WHEN s.event.disposition IS NOT NULL THEN s.event.disposition
              ELSE st END) AS status,
  CASE WHEN $with_events
       THEN [s IN seen | {event_id: s.event.event_id, type: s.event.type, time: s.event.time,
                          action: s.event.action, biz_step: s.event.biz_step, disposition: s.event.disposition,
                          read_point: s.event.read_point, destinations: s.event.destinations,
                          site: coalesce(s.event.biz_location, s.event.read_point), via: s.via}]
       ELSE [] END AS events,
  CASE WHEN $with_shipments
       THEN [s IN seen WHERE size(coalesce(s.event.destinations, [])) > 0 |
             {ms: s.event.time.epochMillis, destinations: s.event.destinations}]
       ELSE [] END AS shipments
