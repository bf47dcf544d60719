// code: CHANNEL_MISMATCH
// title: Shipped to a party that is not an authorized consignee
// severity: high
// subject: item
// triggers: [ObjectEvent, AggregationEvent, TransformationEvent, TransactionEvent, AssociationEvent]
// params: {skip_unmanaged_shippers: true}
//
// Shipper: source party, else the operator of the source site, else of the event's
// site. Consignees: destination parties and operators of destination sites. Master
// data: (shipper)-[:AUTHORIZED {products, channel, valid_from, valid_to}]->(consignee);
// products ['*'] means all. Shippers with no AUTHORIZED edge at all are not judged
// while skip_unmanaged_shippers is on (their partners are simply not recorded yet).
CALL () {
  WITH 1 AS full WHERE $epcs IS NULL
  MATCH (i:Item) RETURN i
  UNION
  UNWIND coalesce($epcs, []) AS epc
  MATCH (i:Object {epc: epc}) USING INDEX i:Object(epc) WHERE i:Item RETURN i
}
CALL (i) {
  MATCH (i)<-[:OBSERVED]-(e) WHERE e.biz_step = 'shipping' AND NOT coalesce(e.error_declared, false) RETURN e
  UNION
  MATCH (i) (()-[r:IN]->()){1,4} (:Object)<-[:OBSERVED]-(e)
  WHERE e.biz_step = 'shipping' AND NOT coalesce(e.error_declared, false)
    AND all(x IN r WHERE x.start <= e.time AND (x.end IS NULL OR e.time <= x.end))
  RETURN e
}
WITH i, e, head(COLLECT { MATCH (e)-[:SHIPMENT {direction: 'source'}]->(p:Party) RETURN p ORDER BY p.epc }
             + COLLECT { MATCH (e)-[:SHIPMENT {direction: 'source'}]->(:Site)-[:OPERATED_BY]->(p:Party)
                         RETURN p ORDER BY p.epc }
             + COLLECT { MATCH (e)-[:AT]->(:Site)-[:OPERATED_BY]->(p:Party) RETURN p }) AS shipper
WHERE shipper IS NOT NULL
  AND (NOT $p.skip_unmanaged_shippers OR EXISTS { (shipper)-[:AUTHORIZED]->(:Party) })
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
RETURN i.epc AS subject, events, {shippers: shippers, consignees: consignees} AS detail, time
