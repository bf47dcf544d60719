// code: EXPIRED_SHIPPED
// title: Expired stock shipped
// severity: high
// subject: item
// triggers: [ObjectEvent, AggregationEvent, TransformationEvent, TransactionEvent, AssociationEvent]
// params: {ignore_dispositions: [returned]}
// expands: lot_items
//
// A shipping event (not a return) dated after the expiry of the item's lot, or of
// a lot shipped by quantity. Scoped lots bring their items (their expiry may have changed).
// The item's lot: a binding made by an event not declared erroneous (as LOT_MISMATCH).
// A full sweep walks from the shipping events down to the items they saw (each event and
// container once), not up from every item to every event of its containers (most are not
// shipping), and only from those dated after the earliest expiry (ISO dates sort as strings;
// a year past 9999 would not); a scope walks up from its items.
CALL () {
  WITH 1 AS full WHERE $epcs IS NULL
  MATCH (x:Lot) WHERE x.expiry =~ '\\d{4}-\\d{2}-\\d{2}'
  WITH min(x.expiry) AS earliest WHERE earliest IS NOT NULL
  MATCH (e:Event {biz_step: 'shipping'})
  WHERE (toString(date(e.time)) > earliest OR e.time.year > 9999) AND NOT coalesce(e.error_declared, false)
  CALL (e) {
    MATCH (e)-[:OBSERVED]->(i:Item) RETURN i
    UNION
    MATCH (i:Item) (()-[r:IN]->()){1,4} (:Object)<-[:OBSERVED]-(e)
    WHERE all(x IN r WHERE x.start <= e.time AND (x.end IS NULL OR e.time <= x.end))
    RETURN i
  }
  RETURN i, e
  UNION
  CALL () {
    UNWIND coalesce($epcs, []) AS epc
    MATCH (i:Object {epc: epc}) USING INDEX i:Object(epc) WHERE i:Item RETURN i
    UNION
    UNWIND coalesce($epcs, []) AS epc
    MATCH (l:Lot {epc: epc})-[:HAS_ITEM]->(i:Item) USING INDEX l:Lot(epc) RETURN i
  }
  // the scope's shipments gathered at once: each container's events expanded once for all
  // the items packed in it (a path keeps its packing intervals, read once)
  WITH collect(i) AS items
  CALL (items) {
    UNWIND items AS i
    MATCH (i)<-[:OBSERVED]-(e) WHERE e.biz_step = 'shipping' AND NOT coalesce(e.error_declared, false)
    RETURN i, e
    UNION ALL  // deduplicated by the UNION above (a distinct UNION here would key on `items` too)
    UNWIND items AS i
    MATCH (i)-[r:IN*1..4]->(c:Object)
    WITH c, collect([i, [x IN r | [x.start, x.end]]]) AS held
    MATCH (c)<-[:OBSERVED]-(e) WHERE e.biz_step = 'shipping' AND NOT coalesce(e.error_declared, false)
    WITH held, e, e.time AS t
    UNWIND held AS h
    WITH h[0] AS i, e WHERE all(x IN h[1] WHERE x[0] <= t AND (x[1] IS NULL OR t <= x[1]))
    RETURN i, e
  }
  RETURN i, e
}
// each item's lots read once, not once per shipment
WITH i, collect(e) AS es
MATCH (l:Lot)-[h:HAS_ITEM]->(i)
WHERE l.expiry =~ '\\d{4}-\\d{2}-\\d{2}'
  AND (h.events IS NULL
       OR EXISTS { MATCH (b:Event) WHERE b.event_id IN h.events AND NOT coalesce(b.error_declared, false) })
UNWIND es AS e
WITH i AS subject, l, e
WHERE date(e.time) > date(l.expiry) AND NOT coalesce(e.disposition, '') IN $p.ignore_dispositions
WITH subject, l, e ORDER BY e.time, e.event_id
WITH subject, collect(DISTINCT l.epc) AS lots, collect(DISTINCT l.expiry) AS expiry, collect(e.event_id) AS ids,
     max(e.time) AS time
RETURN subject.epc AS subject, ids AS events, {lots: lots, expiry: expiry} AS detail, time
UNION
CALL () {
  WITH 1 AS full WHERE $epcs IS NULL
  MATCH (l:Lot) RETURN l
  UNION
  UNWIND coalesce($epcs, []) AS epc
  MATCH (l:Lot {epc: epc}) USING INDEX l:Lot(epc) RETURN l
}
MATCH (l)<-[:OBSERVED_CLASS]-(e)
WHERE e.biz_step = 'shipping' AND NOT coalesce(e.error_declared, false)
  AND l.expiry =~ '\\d{4}-\\d{2}-\\d{2}' AND date(e.time) > date(l.expiry)
  AND NOT coalesce(e.disposition, '') IN $p.ignore_dispositions
WITH l, e ORDER BY e.time, e.event_id
WITH l, collect(DISTINCT e.event_id) AS ids, max(e.time) AS time
RETURN l.epc AS subject, ids AS events, {lots: [l.epc], expiry: [l.expiry]} AS detail, time
