// Fragment (included, never run alone; graph/queries.py `// include:`): the answer of a counted
// recall scope (recall/fast_scope, recall/fast_scope_as_of) from its `starts` and `reached`, the
// closure's nodes in epc order as [node, is item, state key, epc] (the key '' where the caller must
// compute the item's state), as the record those statements describe.
// A closure of at most $bfs_nodes nodes also sends its links (known at $as_of): the caller finds
// the page's paths in one breadth-first walk over them (a search per page item cost more: 1,188
// serials, 100 paths, 11 ms against about 5), and the details' paths are null. A bigger one is searched
// per page item (recall/path), and start_ids, node_ids, node_epcs, link_srcs and link_dsts are empty.
CALL (reached) {
  UNWIND reached AS x
  WITH x[2] AS key, CASE WHEN NOT x[1] THEN x[3] END AS other, x[0]:InCycle AS cyclic, count(*) AS n
  RETURN collect([key, other, cyclic, n]) AS groups
}
// the caller computes the scope in Python when an item has no usable key or a node is in a cycle:
// then nothing more is read here
WITH starts, reached, groups, none(g IN groups WHERE coalesce(g[0], 'other') = '' OR g[2]) AS usable
CALL (groups, usable) {
  // a key is site, status, lot, gtin, then "ms destinations" per shipment (ingest/item_state)
  WITH groups WHERE usable
  UNWIND groups AS g
  WITH g[0] AS key WHERE key <> ''
  WITH split(key, '\u001f') AS f
  UNWIND [f[0]] + reduce(d = [], t IN split(f[4], '\u001e') | d + tail(split(t, ' '))) AS epc
  WITH DISTINCT epc WHERE epc <> ''
  // include: recall/site
  RETURN collect(site) AS sites
}
CALL (groups, usable) {
  WITH groups WHERE usable
  UNWIND groups AS g
  WITH DISTINCT split(g[0], '\u001f')[3] AS gtin WHERE gtin <> ''
  MATCH (p:Product {gtin: gtin}) USING INDEX p:Product(gtin)
  RETURN collect(p {.gtin, .name, .product_line}) AS products
}
CALL (reached, usable) {
  // the page's items are read on only as far as the page goes (a lazy SKIP/LIMIT, no buffer)
  WITH reached WHERE usable
  UNWIND reached AS x
  WITH x WHERE x[1] AND (size($excluded) = 0 OR NOT x[0].state_status IN $excluded)
  SKIP $skip LIMIT $limit
  RETURN collect(x[0]) AS page
}
WITH starts, [n IN starts | elementId(n)] AS start_ids, reached, groups, sites, products, page,
     usable AND size(page) > 0 AND size(reached) <= $bfs_nodes AS by_links
CALL (reached, by_links) {
  WITH reached WHERE by_links
  UNWIND reached AS x
  WITH x[0] AS m
  MATCH (m)-[r:INTO|HAS_ITEM|WAS_INTO]->(y)
  WHERE
  // include: genealogy/known_as_of
  RETURN collect(elementId(m)) AS link_srcs, collect(elementId(y)) AS link_dsts
}
CALL (start_ids, page, by_links) {
  WITH page, start_ids
  // include: recall/live_was_into
  UNWIND page AS i
  // include: recall/detail
  OPTIONAL CALL (i, start_ids, live, by_links) {
    WITH i, start_ids, live WHERE NOT by_links
    // include: recall/path
  }
  RETURN collect([i.epc, gtin, product, product_line, lot, container, path]) AS details
}
RETURN [n IN starts WHERE n:Lot | n.epc] AS lots, [n IN starts WHERE n:Item | n.epc] AS serials, groups,
       [m IN page | [m.epc, coalesce(m.state_site, ''), m.state_status]] AS page, details, sites, products,
       CASE WHEN by_links THEN start_ids ELSE [] END AS start_ids,
       CASE WHEN by_links THEN [x IN reached | elementId(x[0])] ELSE [] END AS node_ids,
       CASE WHEN by_links THEN [x IN reached | x[3]] ELSE [] END AS node_epcs, link_srcs, link_dsts
