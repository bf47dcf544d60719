// What the genealogy shows of each node: kind, product, how and where it was made
// (site, line, operating party = supplier), inspections, and raw events that may
// carry certificationInfo.
UNWIND $ids AS id
MATCH (n) WHERE elementId(n) = id
OPTIONAL MATCH (n)-[:OF_PRODUCT]->(p:Product)
CALL (n) {
  OPTIONAL MATCH (n)<-[o:OBSERVED|OBSERVED_CLASS]-(e:Event)
  WHERE o.role = 'output' OR (o.role = 'epc' AND e.biz_step = 'commissioning')
  OPTIONAL MATCH (e)-[:AT]->(s:Site)
  OPTIONAL MATCH (s)-[:OPERATED_BY]->(party:Party)
  RETURN e AS made, s.name AS site_name, party {.epc, .name, .role} AS party
  ORDER BY e.time LIMIT 1
}
CALL (n) {
  OPTIONAL MATCH (n)<-[:OBSERVED|OBSERVED_CLASS]-(i:Event)
  WHERE i.biz_step = 'inspecting' OR i.raw CONTAINS 'certificationInfo'
  WITH i ORDER BY i.time
  RETURN collect(i {.event_id, .time, .biz_step, .disposition, .biz_location, .raw}) AS checks
}
RETURN id, n.epc AS epc,
       CASE WHEN n:Item THEN 'item' WHEN n:Lot THEN 'lot' WHEN n:Container THEN 'container' ELSE 'object' END AS kind,
       p {.gtin, .name, .kind, .product_line} AS product,
       made {.event_id, .time, .type, .biz_location, .read_point} AS made, site_name, party, checks
