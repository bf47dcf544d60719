// What the genealogy shows of each node: kind, product, how and where it was made
// (site, line, operating party = supplier), inspections, and the events that carry
// certificationInfo (has_cert_info, set at ingest: only their raw JSON is read).
// One record of parallel columns of scalars (nulls as '', times as ISO text; collect() drops
// nulls): a record, map or DateTime per node cost the driver more than the query.
UNWIND $ids AS id
MATCH (n) WHERE elementId(n) = id
WITH collect(n) AS ns
CALL (ns) {
  UNWIND ns AS n
  OPTIONAL MATCH (n)-[:OF_PRODUCT]->(p:Product)
  CALL (n) {
    OPTIONAL MATCH (n)<-[o:OBSERVED|OBSERVED_CLASS]-(e:Event)
    WHERE o.role = 'output' OR (o.role = 'epc' AND e.biz_step = 'commissioning')
    OPTIONAL MATCH (e)-[:AT]->(s:Site)
    OPTIONAL MATCH (s)-[:OPERATED_BY]->(party:Party)
    RETURN e AS made, s.name AS site_name, party
    ORDER BY e.time LIMIT 1
  }
  RETURN collect(elementId(n)) AS ids,
         collect(CASE WHEN n:Item THEN 'item' WHEN n:Lot THEN 'lot' WHEN n:Container THEN 'container'
                      ELSE 'object' END) AS kinds,
         collect(coalesce(p.gtin, '')) AS products,
         collect(coalesce(made.event_id, '')) AS made_ids, collect(coalesce(toString(made.time), '')) AS made_times,
         collect(coalesce(made.type, '')) AS made_types, collect(coalesce(made.biz_location, '')) AS made_sites,
         collect(coalesce(made.read_point, '')) AS made_points, collect(coalesce(site_name, '')) AS site_names,
         collect(coalesce(party.epc, '')) AS party_epcs, collect(coalesce(party.name, '')) AS party_names,
         // the few products, once each
         collect(DISTINCT p {.gtin, .name, .kind, .product_line}) AS product_rows
}
CALL (ns) {
  UNWIND ns AS n
  MATCH (n)<-[:OBSERVED|OBSERVED_CLASS]-(i:Event)
  WHERE i.biz_step = 'inspecting' OR i.has_cert_info
  WITH n, i ORDER BY i.time
  RETURN collect(elementId(n)) AS check_of, collect(i.event_id) AS check_ids,
         collect(toString(i.time)) AS check_times, collect(coalesce(i.biz_step, '')) AS check_steps,
         collect(coalesce(i.disposition, '')) AS check_dispositions,
         collect(coalesce(i.biz_location, '')) AS check_sites,
         collect(CASE WHEN i.has_cert_info THEN i.raw ELSE '' END) AS check_raws
}
RETURN ids, kinds, products, made_ids, made_times, made_types, made_sites, made_points, site_names, party_epcs,
       party_names, product_rows, check_of, check_ids, check_times, check_steps, check_dispositions, check_sites,
       check_raws
