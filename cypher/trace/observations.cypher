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
// $as_of (or null): only events both recorded and happened by then count, and so only the
// packings and unpackings whose events were (a later-recorded unpacking leaves the interval open).
// include: trace/seen
WITH epc, seen, events, [s IN seen | coalesce(s.event.biz_location, s.event.read_point)] AS places
RETURN epc,
  reduce(acc = [], p IN places + reduce(d = [], s IN seen | d + coalesce(s.event.destinations, [])) |
         CASE WHEN p IS NULL OR p IN acc THEN acc ELSE acc + p END) AS sites,
  reduce(site = null, p IN places | coalesce(p, site)) AS site,
  any(s IN seen WHERE s.via IS NULL) AS direct,
  reduce(st = 'unknown', s IN seen |
         CASE WHEN s.event.type = 'ObjectEvent' AND s.event.action = 'DELETE' AND s.named THEN 'decommissioned'
              WHEN s.event.disposition IS NOT NULL THEN s.event.disposition
              ELSE st END) AS status,
  events,
  CASE WHEN $with_shipments
       THEN [s IN seen WHERE size(coalesce(s.event.destinations, [])) > 0 |
             {ms: s.event.time.epochMillis, destinations: s.event.destinations}]
       ELSE [] END AS shipments
