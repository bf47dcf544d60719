// Fragment (included, never run alone; graph/queries.py `// include:`): what the genealogy shows
// of each node of `ns`: kind, product, how and where it was made (the making event stored on
// the node at ingest, `made_event`: cypher/ingest/events, migration 0004; its site, line,
// operating party = supplier), inspections, and the events that carry certificationInfo (both
// labelled :Check at ingest: writer.is_check, migration 0005; has_cert_info, set at ingest too,
// says whose raw JSON is read). Parallel columns of scalars (nulls as '', times as ISO text;
// collect() drops nulls): a record, map or DateTime per node cost the driver more than the query.
// genealogy/tree_* and genealogy/level_* read them.
// Per node, lined up with ns (whose element ids the caller has already: ns is its `ms`, or the
// root): kinds, products (a node has one: ingest MERGEs one), made_ids (its making event's id,
// '' for none). Per event (an event_id is unique): the making events (made_*: a line equal to
// its site comes as '', the answer shows none) and the inspections (check_*: check_of gives
// the positions in ns of the nodes each one saw: one inspection covers a batch). `upstream`:
// true when ns is a backward genealogy's.
CALL (ns) {
  UNWIND ns AS n
  OPTIONAL MATCH (n)-[:OF_PRODUCT]->(p:Product)
  RETURN collect(CASE WHEN n:Item THEN 'item' WHEN n:Lot THEN 'lot' WHEN n:Container THEN 'container'
                      ELSE 'object' END) AS kinds,
         collect(coalesce(p.gtin, '')) AS products, collect(DISTINCT p) AS product_nodes,
         collect(coalesce(n.made_event, '')) AS made_ids
}
WITH *, [p IN product_nodes | p {.gtin, .name, .kind, .product_line}] AS product_rows
CALL (ns, made_ids, upstream) {
  UNWIND range(0, size(ns) - 1) AS k
  WITH k, ns[k] AS n, upstream AND ns[k]:Lot AS upstream_lot
  // only events observe (ingest/events, the bulk loader): no label check. A making event
  // observes what it made (ingest/events, migration 0004): found here, not looked up per node
  MATCH (n)<-[:OBSERVED|OBSERVED_CLASS]-(i)
  // a lot upstream is seen by every event that took from it (thousands, issue 16), nearly all
  // outside the genealogy: only its inspections are kept (by the label: no property read per
  // event), before the grouping, which then skips the rest (its making event is looked up by id
  // below). Downstream those events made the genealogy's items and are read in the grouping
  // anyway: filtered per lot row too, a 4,501-node forward genealogy from a raw lot took 15% longer.
  WITH k, i WHERE NOT upstream_lot OR i:Check
  // an event sees many nodes (one inspection covers a batch): each event's properties read once
  WITH i, collect(k) AS seen
  WITH i, seen, i.event_id AS event_id
  WITH i, seen, event_id, event_id IN made_ids AS made, i:Check AS check
  WHERE made OR check
  // sorted after the filter: the few inspections and making events, not every event seen
  WITH i, seen, event_id, made, check, coalesce(toString(i.time), '') AS time, i.biz_location AS site
  ORDER BY time, event_id
  RETURN collect(CASE WHEN check THEN seen END) AS check_of, collect(CASE WHEN check THEN event_id END) AS check_ids,
         collect(CASE WHEN check THEN time END) AS check_times,
         collect(CASE WHEN check THEN coalesce(i.biz_step, '') END) AS check_steps,
         collect(CASE WHEN check THEN coalesce(i.disposition, '') END) AS check_dispositions,
         collect(CASE WHEN check THEN coalesce(site, '') END) AS check_sites,
         collect(CASE WHEN NOT check THEN null WHEN i.has_cert_info THEN i.raw ELSE '' END) AS check_raws,
         collect(CASE WHEN made THEN event_id END) AS found_ids, collect(CASE WHEN made THEN time END) AS found_times,
         collect(CASE WHEN made THEN coalesce(i.type, '') END) AS found_types,
         collect(CASE WHEN made THEN coalesce(site, '') END) AS found_sites,
         collect(CASE WHEN NOT made THEN null WHEN i.read_point = site THEN ''
                      ELSE coalesce(i.read_point, '') END) AS found_points
}
CALL (made_ids, found_ids) {
  // an upstream lot's making event, or one that does not observe its node: looked up by its id
  UNWIND made_ids AS id
  WITH DISTINCT id WHERE id <> '' AND NOT id IN found_ids
  MATCH (e:Event {event_id: id})
  RETURN collect(id) AS more_ids, collect(coalesce(toString(e.time), '')) AS more_times,
         collect(coalesce(e.type, '')) AS more_types, collect(coalesce(e.biz_location, '')) AS more_sites,
         collect(CASE WHEN e.read_point = e.biz_location THEN '' ELSE coalesce(e.read_point, '') END) AS more_points
}
WITH *, found_ids + more_ids AS made_events, found_times + more_times AS made_times,
     found_types + more_types AS made_types, found_sites + more_sites AS made_sites,
     found_points + more_points AS made_points
CALL (made_sites) {
  UNWIND made_sites AS epc
  WITH DISTINCT epc WHERE epc <> ''
  MATCH (s:Site {epc: epc})
  OPTIONAL MATCH (s)-[:OPERATED_BY]->(party:Party)
  RETURN collect(s {.epc, .name, party: party.epc, party_name: party.name}) AS site_rows
}
