// What the genealogy shows of each node: kind, product, how and where it was made
// (site, line, operating party = supplier), inspections, and the events that carry
// certificationInfo (has_cert_info, set at ingest: only their raw JSON is read).
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
  WHERE i.biz_step = 'inspecting' OR i.has_cert_info
  WITH i ORDER BY i.time
  RETURN collect(i {.event_id, .time, .biz_step, .disposition, .biz_location,
                    raw: CASE WHEN i.has_cert_info THEN i.raw END}) AS checks
}
RETURN id, n.epc AS epc,
       CASE WHEN n:Item THEN 'item' WHEN n:Lot THEN 'lot' WHEN n:Container THEN 'container' ELSE 'object' END AS kind,
       p {.gtin, .name, .kind, .product_line} AS product,
       made {.event_id, .time, .type, .biz_location, .read_point} AS made, site_name, party, checks
