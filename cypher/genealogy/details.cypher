// Fragment (included, never run alone; graph/queries.py `// include:`): what the genealogy shows
// of each node of `ns`: kind, product, how and where it was made (the making event stored on
// the node at ingest, `made_event`: cypher/ingest/events, migration 0004; its site, line,
// operating party = supplier), inspections, and the events that carry certificationInfo
// (has_cert_info, set at ingest: only their raw JSON is read). Parallel columns of scalars
// (nulls as '', times as ISO text; collect() drops nulls): a record, map or DateTime per node
// cost the driver more than the query. genealogy/tree_* and genealogy/level_* read them.
// Product and making event in subqueries of their own (one OPTIONAL each: nested in one row they
// cost a third more); both line up with ns: a node has one product (ingest MERGEs one), an
// event_id is unique, as check_of's positions in ns already assume.
CALL (ns) {
  UNWIND ns AS n
  OPTIONAL MATCH (n)-[:OF_PRODUCT]->(p:Product)
  RETURN collect(elementId(n)) AS detail_ids,
         collect(CASE WHEN n:Item THEN 'item' WHEN n:Lot THEN 'lot' WHEN n:Container THEN 'container'
                      ELSE 'object' END) AS kinds,
         collect(coalesce(p.gtin, '')) AS products, collect(DISTINCT p) AS product_nodes
}
CALL (ns) {
  UNWIND ns AS n
  OPTIONAL MATCH (made:Event {event_id: n.made_event})
  RETURN collect(coalesce(made.event_id, '')) AS made_ids, collect(coalesce(toString(made.time), '')) AS made_times,
         collect(coalesce(made.type, '')) AS made_types, collect(coalesce(made.biz_location, '')) AS made_sites,
         collect(coalesce(made.read_point, '')) AS made_points, collect(DISTINCT made.biz_location) AS site_epcs
}
WITH *, [p IN product_nodes | p {.gtin, .name, .kind, .product_line}] AS product_rows
CALL (site_epcs) {
  UNWIND site_epcs AS epc
  MATCH (s:Site {epc: epc})
  OPTIONAL MATCH (s)-[:OPERATED_BY]->(party:Party)
  RETURN collect(s {.epc, .name, party: party.epc, party_name: party.name}) AS site_rows
}
CALL (ns) {
  // check_of: the node's position in ns (as in detail_ids)
  UNWIND range(0, size(ns) - 1) AS k
  WITH k, ns[k] AS n
  // only events observe (ingest/events, the bulk loader): no label check
  MATCH (n)<-[:OBSERVED|OBSERVED_CLASS]-(i)
  // an event sees many nodes (one inspection covers a batch): each event's properties read once
  WITH i, collect(k) AS seen
  WITH i, seen WHERE i.biz_step = 'inspecting' OR i.has_cert_info
  // sorted after the filter: the few inspections, not every event seen
  WITH i, seen, i.time AS time, i.event_id AS event_id
  ORDER BY time, event_id
  UNWIND seen AS k
  RETURN collect(k) AS check_of, collect(i.event_id) AS check_ids,
         collect(toString(i.time)) AS check_times, collect(coalesce(i.biz_step, '')) AS check_steps,
         collect(coalesce(i.disposition, '')) AS check_dispositions,
         collect(coalesce(i.biz_location, '')) AS check_sites,
         collect(CASE WHEN i.has_cert_info THEN i.raw ELSE '' END) AS check_raws
}
