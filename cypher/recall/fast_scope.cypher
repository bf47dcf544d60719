// A whole current recall scope (no as-of, no depth limit) in one statement: the start nodes,
// the shared genealogy closure, its items grouped by their stored state (`state_key`, see
// ingest/item_state), one page of kept serials in epc order with their details and paths,
// and the master data the groups name. A 100k-serial scope sends back a few thousand groups
// instead of 100k rows. One record (tracegraph/recalls/service.py `overview`):
// - lots, serials: the starts found of $lots (Lot nodes) and $serials (items); starts of
//   other kinds come resolved, as element ids $ids;
// - groups: [state_key, other node epc, cyclic, n]: items by key ('' when stored before keys
//   existed: the caller then computes in Python, as it does when a node is marked InCycle
//   by ingest; the Python closure reports cycles), other nodes (lots, containers) by epc; then
//   the rest is not read (recall/fast_answer);
// - page: [epc, site, status] of the kept serials (status not in $excluded) $skip.. $skip + $limit;
// - details: [epc, gtin, product, product_line, lot, container, path] of the page's serials
//   (recall/detail and recall/path with $as_of null; path null when there is none, or when the
//   closure has at most $bfs_nodes nodes: then start_ids, node_ids, node_epcs, link_srcs and
//   link_dsts give its links, and the caller finds the paths: recall/fast_answer);
// - sites, products: master data of the sites (current and shipped to) and the products the
//   item groups name (recall/site maps; {gtin, name, product_line}).
// recall/fast_scope_as_of is the same as of a moment.
// include: recall/fast_starts
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
// include: recall/fast_answer
