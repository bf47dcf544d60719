// code: VOLUME_SPIKE
// title: Shipments of a product to one party far above its own baseline
// severity: medium
// subject: party
// triggers: [ObjectEvent, AggregationEvent, TransformationEvent, TransactionEvent, AssociationEvent]
// params: {period_days: 7, baseline_periods: 8, factor: 3.0, min_quantity: 50, min_baseline: 2.0,
//          ignore_dispositions: [returned]}
//
// Per consignee party and product: units shipped (serials, directly or packed,
// plus class quantities) per period. A period fires when it reaches min_quantity
// and exceeds factor x the mean of the baseline_periods before it (empty periods
// count as zero); only once the party has that much history and a baseline of at
// least min_baseline units per period (lumpy, rare buyers have no baseline to exceed).
CALL () {
  WITH 1 AS full WHERE $parties IS NULL
  MATCH (party:Party) RETURN party
  UNION
  UNWIND coalesce($parties, []) AS epc
  MATCH (party:Party {epc: epc}) USING INDEX party:Party(epc) RETURN party
}
CALL (party) {
  MATCH (party)<-[:SHIPMENT {direction: 'destination'}]-(e:Event) RETURN e
  UNION
  MATCH (party)<-[:OPERATED_BY]-(:Site)<-[:SHIPMENT {direction: 'destination'}]-(e:Event) RETURN e
}
WITH party, e
WHERE e.biz_step = 'shipping' AND NOT coalesce(e.error_declared, false)
  AND NOT coalesce(e.disposition, '') IN $p.ignore_dispositions
  AND NOT EXISTS { (e)-[:SHIPMENT {direction: 'source'}]->(party) }
CALL (e) {
  MATCH (e)-[:OBSERVED]->(:Object)<-[r:IN*0..4]-(i:Item)
  WHERE all(x IN r WHERE x.start <= e.time AND (x.end IS NULL OR e.time <= x.end))
  WITH DISTINCT i
  RETURN i.gtin AS gtin, count(i) AS qty
  UNION ALL
  MATCH (e)-[c:OBSERVED_CLASS]->(k)
  RETURN k.gtin AS gtin, sum(coalesce(c.quantity, 0)) AS qty
}
WITH party, gtin, duration.inDays(date('1970-01-01'), date(e.time)).days / $p.period_days AS bucket, e, qty
WITH party, gtin, bucket, sum(qty) AS qty, collect(DISTINCT e) AS es
WITH party, gtin, collect({b: bucket, q: qty, es: es}) AS buckets, min(bucket) AS first
UNWIND buckets AS cur
WITH party, gtin, buckets, cur
WHERE cur.b - $p.baseline_periods >= first AND cur.q >= $p.min_quantity
WITH party, gtin, cur,
     reduce(s = 0.0, x IN buckets | s + CASE WHEN x.b >= cur.b - $p.baseline_periods AND x.b < cur.b
                                            THEN x.q ELSE 0 END) / $p.baseline_periods AS baseline
WHERE cur.q > $p.factor * baseline AND baseline >= $p.min_baseline
WITH party, gtin, cur, baseline ORDER BY gtin, cur.b
WITH party, collect({gtin: gtin, period_start: toString(date('1970-01-01') + duration({days: cur.b * $p.period_days})),
                 quantity: cur.q, baseline: baseline}) AS spikes,
     reduce(a = [], es IN collect(cur.es) | a + [e IN es WHERE NOT e IN a]) AS es
UNWIND es AS e
WITH party, spikes, e ORDER BY e.time, e.event_id
WITH party, spikes, collect(e.event_id) AS events, max(e.time) AS time
RETURN party.epc AS subject, events, {spikes: spikes} AS detail, time
