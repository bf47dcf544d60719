// One serialized item in one round trip (GET /v1/serials/{id} and its timeline): its record
// (product, lot, the container holding it now) and what its events say by the rules of
// cypher/trace/observations.cypher, included as a subquery: current site and status, and
// the timeline when $with_events. $epcs is [$epc]. No row: no such serialized item.
// Without events, the site and status the writer stored on the item by those rules
// (tracegraph/recalls/state.py, format $version) are read instead: walking the item's and its
// containers' events cost most of the call. An item stored in another format is computed.
// Times leave as ISO strings (toString): the driver's Python DateTime hydration cost more than
// the rest of a timeline read; pydantic parses them (in Rust) into the same datetimes.
MATCH (i:Object {epc: $epc}) USING INDEX i:Object(epc)
WHERE i:Item
WITH i, NOT $with_events AND coalesce(i.state_v, 0) = $version AS stored
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
       CASE WHEN stored THEN i.state_site ELSE site END AS site,
       [e IN coalesce(events, []) | e {.*, time: toString(e.time), destinations: coalesce(e.destinations, [])}]
         AS events
LIMIT 1
