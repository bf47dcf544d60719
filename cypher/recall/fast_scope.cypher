// A whole current recall scope (no as-of, no depth limit) in one statement: the start nodes,
// the shared genealogy closure, its items grouped by their stored state (`state_key`, see
// ingest/item_state), one page of kept serials in epc order with their details and paths,
// and the master data the groups name. A 100k-serial scope sends back a few thousand groups
// instead of 100k rows. One record (tracegraph/recalls/service.py `overview`):
// - lots, serials: the starts found of $lots (Lot nodes) and $serials (items); starts of
//   other kinds come resolved, as element ids $ids;
// - groups: [state_key, other node epc, cyclic, n]: items by key ('' when stored before keys
//   existed: the caller then computes in Python, as it does when a node is marked InCycle
//   by ingest; the Python closure reports cycles), other nodes (lots, containers) by epc;
// - page: [epc, site, status] of the kept serials (status not in $excluded) $skip.. $skip + $limit;
// - details: [epc, gtin, product, product_line, lot, container, path] of the page's serials
//   (recall/detail with $as_of null; recall/path: null when no path);
// - sites, products: master data of the sites (current and shipped to) and the products the
//   item groups name (recall/site maps; {gtin, name, product_line}).
CALL () {
  UNWIND $lots AS epc
  MATCH (n:Lot {epc: epc}) USING INDEX n:Lot(epc)
  RETURN n
  UNION
  UNWIND $serials AS epc
  MATCH (n:Object {epc: epc}) USING INDEX n:Object(epc) WHERE n:Item
  RETURN n
  UNION
  UNWIND $ids AS id
  MATCH (n) WHERE elementId(n) = id
  RETURN n
}
WITH collect(n) AS starts
CALL (starts) {
  UNWIND starts AS n
  // include: genealogy/closure_forward
  WITH DISTINCT m
  // each node's properties read once, side by side (a read walks the node's property chain)
  WITH m, m:Item AS item
  WITH m, item, CASE WHEN item THEN coalesce(m.state_key, '') END AS key, m.epc AS epc
  ORDER BY epc
  // collect keeps the row order: the page below is read from it in epc order (a Top inside
  // the subquery would buffer rows that each carry the whole list: memory of page size × scope size)
  RETURN collect([m, item, key, epc]) AS reached
}
CALL (reached) {
  UNWIND reached AS x
  WITH x[2] AS key, CASE WHEN NOT x[1] THEN x[3] END AS other, x[0]:InCycle AS cyclic, count(*) AS n
  RETURN collect([key, other, cyclic, n]) AS groups
}
CALL (groups) {
  // a key is site, status, lot, gtin, then "ms destinations" per shipment (ingest/item_state)
  UNWIND groups AS g
  WITH g[0] AS key WHERE key <> ''
  WITH split(key, '\u001f') AS f
  UNWIND [f[0]] + reduce(d = [], t IN split(f[4], '\u001e') | d + tail(split(t, ' '))) AS epc
  WITH DISTINCT epc WHERE epc <> ''
  // include: recall/site
  RETURN collect(site) AS sites
}
CALL (groups) {
  UNWIND groups AS g
  WITH DISTINCT split(g[0], '\u001f')[3] AS gtin WHERE gtin <> ''
  MATCH (p:Product {gtin: gtin}) USING INDEX p:Product(gtin)
  RETURN collect(p {.gtin, .name, .product_line}) AS products
}
CALL (reached) {
  // the page's items are read on only as far as the page goes (a lazy SKIP/LIMIT, no buffer)
  UNWIND reached AS x
  WITH x WHERE x[1] AND (size($excluded) = 0 OR NOT x[0].state_status IN $excluded)
  SKIP $skip LIMIT $limit
  RETURN collect(x[0]) AS page
}
WITH starts, groups, sites, products, page
CALL (starts, page) {
  WITH page, [n IN starts | elementId(n)] AS start_ids
  UNWIND page AS i
  // include: recall/detail
  OPTIONAL CALL (i, start_ids) {
    // include: recall/path
  }
  RETURN collect([i.epc, gtin, product, product_line, lot, container, path]) AS details
}
RETURN [n IN starts WHERE n:Lot | n.epc] AS lots, [n IN starts WHERE n:Item | n.epc] AS serials, groups,
       [m IN page | [m.epc, coalesce(m.state_site, ''), m.state_status]] AS page, details, sites, products
