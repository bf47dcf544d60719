// The item rules that judge an item by its whole history, in ONE pass over it: every event
// that saw the item (itself, or a container holding it at the event's time, up to 4 levels),
// not declared erroneous, sorted by UTC time then event id. Walking containers is most of
// the cost of these rules, so they share the walk instead of each doing it again; each event's
// properties are read once into a map (`node`: the event itself), so the judging below,
// quadratic in an item's history for some rules, reads no more properties.
// $on: the codes to judge (TWO_PLACES, CHANNEL_MISMATCH, FAILED_INSPECTION_SHIPPED,
// SHIPPED_NOT_RECEIVED, RECEIVED_NOT_SHIPPED, DUPLICATE_SERIAL, DECOMMISSIONED_REAPPEARS; their
// headers in cypher/rules/ say what each finds); `roles`: the roles an event named the item
// itself in (none: it saw a container);
// $ps: their parameters by code; $epcs: the scope (null: every item). One row per finding.
CALL () {
  WITH 1 AS full WHERE $epcs IS NULL
  MATCH (i:Item) RETURN i
  UNION
  UNWIND coalesce($epcs, []) AS epc
  MATCH (i:Object {epc: epc}) USING INDEX i:Object(epc) WHERE i:Item RETURN i
}
// Sightings are gathered for the whole scope, not item by item: each container's events
// are expanded once for all the items packed in it (a path keeps its packing intervals,
// read once), and each event's properties are read once for all the items it saw.
WITH collect(i) AS items
CALL (items) {
  UNWIND items AS i
  MATCH (i)<-[o:OBSERVED]-(e)
  RETURN e, i, o.role AS role, [] AS spans
  UNION ALL
  UNWIND items AS i
  MATCH (i)-[r:IN*1..4]->(c:Object)
  WITH c, collect([i, [x IN r | [x.start, x.end]]]) AS held
  MATCH (c)<-[:OBSERVED]-(e)
  UNWIND held AS h
  RETURN e, h[0] AS i, null AS role, h[1] AS spans
}
WITH e, collect([i, role, spans]) AS seers
WHERE NOT coalesce(e.error_declared, false)
WITH e {.event_id, .time, .biz_step, .disposition, .type, .action,
        place: coalesce(e.biz_location, e.read_point), node: e} AS ev, seers
UNWIND seers AS s
WITH ev, s[0] AS i, s[1] AS role, s[2] AS spans
WHERE all(x IN spans WHERE x[0] <= ev.time AND (x[1] IS NULL OR ev.time <= x[1]))
WITH i, ev, collect(DISTINCT role) AS roles ORDER BY ev.time, ev.event_id
WITH i, collect(ev {.*, roles: roles}) AS es
CALL (i, es) {
  // TWO_PLACES: two consecutive sightings at different places less than max_minutes apart
  WITH i, es WHERE 'TWO_PLACES' IN $on
  WITH i, [e IN es WHERE e.place IS NOT NULL | {id: e.event_id, time: e.time, place: e.place}] AS seen
  WITH i, [k IN range(0, size(seen) - 2)
           WHERE seen[k].place <> seen[k + 1].place
             AND duration.inSeconds(seen[k].time, seen[k + 1].time).seconds < $ps.TWO_PLACES.max_minutes * 60
           | [seen[k], seen[k + 1]]] AS pairs
  WHERE size(pairs) > 0
  WITH i, reduce(acc = [], pr IN pairs | acc + [x IN pr WHERE NOT x.id IN [a IN acc | a.id]]) AS hits,
       reduce(m = null, pr IN pairs |
              CASE WHEN m IS NULL OR duration.inSeconds(pr[0].time, pr[1].time).seconds < m
                   THEN duration.inSeconds(pr[0].time, pr[1].time).seconds ELSE m END) AS gap
  RETURN 'TWO_PLACES' AS rule, i.epc AS subject, [h IN hits | h.id] AS events,
         {places: reduce(ps = [], h IN hits | CASE WHEN h.place IN ps THEN ps ELSE ps + h.place END),
          min_gap_minutes: gap / 60.0} AS detail,
         hits[-1].time AS time
  UNION ALL
  // CHANNEL_MISMATCH: a shipment to a consignee the shipper is not authorized to supply.
  // While unmanaged shippers are skipped, a graph with no AUTHORIZED edge at all has nothing
  // to judge: stop before finding each shipment's shipper (most of this pass's reads).
  WITH i, es WHERE 'CHANNEL_MISMATCH' IN $on
    AND (NOT $ps.CHANNEL_MISMATCH.skip_unmanaged_shippers OR EXISTS { ()-[:AUTHORIZED]->() })
  UNWIND [x IN es WHERE x.biz_step = 'shipping'] AS x
  WITH i, x.node AS e
  WITH i, e, head(COLLECT { MATCH (e)-[:SHIPMENT {direction: 'source'}]->(p:Party) RETURN p ORDER BY p.epc }
               + COLLECT { MATCH (e)-[:SHIPMENT {direction: 'source'}]->(:Site)-[:OPERATED_BY]->(p:Party)
                           RETURN p ORDER BY p.epc }
               + COLLECT { MATCH (e)-[:AT]->(:Site)-[:OPERATED_BY]->(p:Party) RETURN p }) AS shipper
  WHERE shipper IS NOT NULL
    AND (NOT $ps.CHANNEL_MISMATCH.skip_unmanaged_shippers OR EXISTS { (shipper)-[:AUTHORIZED]->(:Party) })
  CALL (e) {
    MATCH (e)-[:SHIPMENT {direction: 'destination'}]->(c:Party) RETURN c
    UNION
    MATCH (e)-[:SHIPMENT {direction: 'destination'}]->(:Site)-[:OPERATED_BY]->(c:Party) RETURN c
  }
  WITH i, e, shipper, c
  WHERE c <> shipper AND NOT EXISTS {
    MATCH (shipper)-[a:AUTHORIZED]->(c)
    WHERE ('*' IN coalesce(a.products, ['*']) OR i.gtin IN a.products)
      AND (a.channel IS NULL OR c.channel IS NULL OR a.channel = c.channel)
      AND (a.valid_from IS NULL OR date(left(toString(a.valid_from), 10)) <= date(e.time))
      AND (a.valid_to IS NULL OR date(e.time) <= date(left(toString(a.valid_to), 10)))
  }
  WITH i, e, collect(DISTINCT c.epc) AS consignees, shipper ORDER BY e.time, e.event_id
  WITH i, collect(e.event_id) AS events, collect(DISTINCT shipper.epc) AS shippers,
       reduce(a = [], cs IN collect(consignees) | a + [x IN cs WHERE NOT x IN a]) AS consignees, max(e.time) AS time
  RETURN 'CHANNEL_MISMATCH' AS rule, i.epc AS subject, events, {shippers: shippers, consignees: consignees} AS detail,
         time
  UNION ALL
  // FAILED_INSPECTION_SHIPPED: a shipment after a failed disposition with no clearing one in between
  WITH i, es WHERE 'FAILED_INSPECTION_SHIPPED' IN $on
  WITH i, es, $ps.FAILED_INSPECTION_SHIPPED AS p
  UNWIND [s IN es WHERE s.biz_step = 'shipping'] AS s
  WITH i, s, [f IN es WHERE f.disposition IN p.failed AND f.time <= s.time AND f <> s
                        AND NOT any(ok IN es WHERE ok.disposition IN p.cleared
                                              AND ok.time > f.time AND ok.time <= s.time)] AS fails
  WHERE size(fails) > 0
  UNWIND fails + [s] AS e
  WITH DISTINCT i, e
  WITH i, e ORDER BY e.time, e.event_id
  WITH i, collect(e.event_id) AS events, max(e.time) AS time
  RETURN 'FAILED_INSPECTION_SHIPPED' AS rule, i.epc AS subject, events, {} AS detail, time
  UNION ALL
  // SHIPPED_NOT_RECEIVED: a shipment with no receipt within max_hours, once they have passed
  WITH i, es WHERE 'SHIPPED_NOT_RECEIVED' IN $on
  WITH i, es, duration({hours: $ps.SHIPPED_NOT_RECEIVED.max_hours}) AS window
  WITH i, [s IN es WHERE s.biz_step = 'shipping' AND s.time + window < $now
                     AND NOT any(r IN es WHERE r.biz_step = 'receiving'
                                           AND r.time >= s.time AND r.time <= s.time + window)] AS lost
  WHERE size(lost) > 0
  RETURN 'SHIPPED_NOT_RECEIVED' AS rule, i.epc AS subject, [s IN lost | s.event_id] AS events,
         {shipments: size(lost)} AS detail, lost[-1].time AS time
  UNION ALL
  // RECEIVED_NOT_SHIPPED: a receipt with no shipment at or before it
  WITH i, es WHERE 'RECEIVED_NOT_SHIPPED' IN $on
  WITH i, [r IN es WHERE r.biz_step = 'receiving'
                     AND NOT any(s IN es WHERE s.biz_step = 'shipping' AND s.time <= r.time)] AS orphans
  WHERE size(orphans) > 0
  RETURN 'RECEIVED_NOT_SHIPPED' AS rule, i.epc AS subject, [r IN orphans | r.event_id] AS events,
         {receipts: size(orphans)} AS detail, orphans[-1].time AS time
  UNION ALL
  // DUPLICATE_SERIAL: commissioned more than once (core.epcis.models.commissioning_roles: an
  // ObjectEvent ADD or commissioning step naming the item, or the item as a TransformationEvent output)
  WITH i, es WHERE 'DUPLICATE_SERIAL' IN $on
  WITH i, [e IN es WHERE (e.type = 'ObjectEvent' AND (e.action = 'ADD' OR e.biz_step = 'commissioning')
                          AND 'epc' IN e.roles)
                      OR (e.type = 'TransformationEvent' AND 'output' IN e.roles)] AS made
  WHERE size(made) > 1
  RETURN 'DUPLICATE_SERIAL' AS rule, i.epc AS subject, [e IN made | e.event_id] AS events,
         {commissionings: size(made)} AS detail, made[-1].time AS time
  UNION ALL
  // DECOMMISSIONED_REAPPEARS: any sighting after the first ObjectEvent DELETE naming the item
  WITH i, es WHERE 'DECOMMISSIONED_REAPPEARS' IN $on
  WITH i, es, head([e IN es WHERE e.type = 'ObjectEvent' AND e.action = 'DELETE' AND 'epc' IN e.roles]) AS gone
  WHERE gone IS NOT NULL
  WITH i, gone, [e IN es WHERE e.time > gone.time] AS later
  WHERE size(later) > 0
  RETURN 'DECOMMISSIONED_REAPPEARS' AS rule, i.epc AS subject, [gone.event_id] + [e IN later | e.event_id] AS events,
         {decommissioned: toString(gone.time), sightings_after: size(later)} AS detail, later[-1].time AS time
}
RETURN rule, subject, events, detail, time
