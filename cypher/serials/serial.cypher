// One serialized item in one round trip (GET /v1/serials/{id}): its record (product, lot, the
// container holding it now), and its current site and status by the rules of
// cypher/trace/observations.cypher: as the writer stored them on the item
// (tracegraph/recalls/state.py, format $version), since walking the item's and its containers'
// events cost most of the call; for an item stored in another format, computed by the included
// rules. $epcs is [$epc], $with_events false. No row: no such serialized item.
// Times leave as ISO strings (toString): the driver's Python DateTime hydration cost more than
// the rest of a timeline read; pydantic parses them (in Rust) into the same datetimes.
MATCH (i:Object {epc: $epc}) USING INDEX i:Object(epc)
WHERE i:Item
WITH i, coalesce(i.state_v, 0) = $version AS stored
OPTIONAL CALL (stored) {
  WITH stored WHERE NOT stored
  // include: trace/observations
}
OPTIONAL MATCH (i)-[:OF_PRODUCT]->(p:Product)
OPTIONAL MATCH (l:Lot)-[:HAS_ITEM]->(i)
OPTIONAL MATCH (i)-[now:IN WHERE now.end IS NULL]->(c:Object)
RETURN i.epc AS epc, i.gtin AS gtin, i.serial AS serial, toString(i.commissioned) AS commissioned,
       p {.gtin, .name, .kind, .product_line, .device_class} AS product,
       l {.epc, .lot, .expiry, manufactured: toString(l.manufactured)} AS lot,
       c.epc AS container,
       CASE WHEN stored THEN i.state_status ELSE coalesce(status, 'unknown') END AS status,
       CASE WHEN stored THEN i.state_site ELSE site END AS site
LIMIT 1
