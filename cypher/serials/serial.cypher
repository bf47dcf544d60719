// One serialized item in one round trip (GET /v1/serials/{id} and its timeline): its record
// (product, lot, the container holding it now) and what its events say by the rules of
// cypher/trace/observations.cypher, included as a subquery: current site and status, and
// the timeline when $with_events. $epcs is [$epc]. No row: no such serialized item.
MATCH (i:Object {epc: $epc}) USING INDEX i:Object(epc)
WHERE i:Item
OPTIONAL CALL () {
  // include: trace/observations
}
OPTIONAL MATCH (i)-[:OF_PRODUCT]->(p:Product)
OPTIONAL MATCH (l:Lot)-[:HAS_ITEM]->(i)
OPTIONAL MATCH (i)-[now:IN WHERE now.end IS NULL]->(c:Object)
RETURN i.epc AS epc, i.gtin AS gtin, i.serial AS serial, i.commissioned AS commissioned,
       p {.gtin, .name, .kind, .product_line, .device_class} AS product,
       l {.epc, .lot, .expiry, .manufactured} AS lot,
       c.epc AS container, coalesce(status, 'unknown') AS status, site, coalesce(events, []) AS events
LIMIT 1
