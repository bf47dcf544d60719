// Fragment (included, never run alone): a trace's answer from its closure `m`
// (trace/fast_forward, paged_forward and backward), after trace/page_items, in one record
// of columns:
// - groups: [state_key, epcs]: the reached items (the root excluded) of one page that carry a
//   stored state of format $version (ingest/item_state), by their state_key (one property read
//   per item, not one per field; the caller reads each key with recalls.state.unkey, as the
//   recall scope does); in no order (the caller sorts). A page is
//   `items` whole, else the first $limit of `ordered` (trace/page_order; no sort when the whole
//   trace is the page: it cost more than the rest of the page); more: items follow;
// - lots: Lot nodes reached and the lots of the reached items (the whole trace's), but for the
//   lots in the groups' keys when `whole` (the caller adds them);
// - where: the stored places (state_where, recall/item_places) of the page's items (and of
//   the root item on the first page) united; bare_sites: the sites of the read points
//   without a bizLocation among them, resolved from the master data as it is now;
// - missing: items of those whose stored places are absent or of another format than
//   $version (loaded before it): the caller counts them from events (trace/places);
// - known: $epc is an object or a lot.
// Each item's properties are read in one pass (a read of a property walks the node's chain).
WITH r, l, lot_nodes, whole, items, CASE WHEN whole THEN items ELSE ordered[..$limit] END AS page,
     NOT whole AND size(ordered) > $limit AS more
CALL (items, whole) {
  WITH items WHERE NOT whole
  UNWIND items AS m
  RETURN collect(DISTINCT m.lot) AS other_lots
}
// one pass over the page's items, grouped by stored state (state_key, of format $version;
// null for items stored otherwise): [key, epcs, distinct place lists, lots of unstored items]
CALL (page) {
  UNWIND page AS m
  WITH m, m.state_v = $version AS fresh
  WITH CASE WHEN fresh THEN m.state_key END AS key, m.epc AS epc, CASE WHEN fresh THEN m.state_where END AS ws,
       CASE WHEN fresh THEN null ELSE m.lot END AS lot
  WITH key, collect(epc) AS epcs, collect(DISTINCT ws) AS wss, collect(DISTINCT lot) AS lots
  RETURN collect([key, epcs, wss, lots]) AS keyed
}
WITH r, l, lot_nodes, whole, more, other_lots, keyed,
     CASE WHEN r:Item AND $after IS NULL
          THEN CASE WHEN r.state_v = $version THEN [r.state_where] ELSE [] END END AS root_where,
     CASE WHEN r:Item AND $after IS NULL AND coalesce(r.state_v, 0) <> $version THEN [r.epc] ELSE [] END AS root_missing
CALL (keyed, root_where) {
  // items packed and moved together share their list: unwind each distinct list once
  UNWIND [g IN keyed | g[2]] + [coalesce(root_where, [])] AS wss
  UNWIND wss AS ws
  WITH DISTINCT ws
  UNWIND ws AS w
  RETURN collect(DISTINCT w) AS where
}
CALL (where) {
  UNWIND where AS w
  WITH w WHERE w STARTS WITH 'b'
  WITH substring(w, 2) AS rp
  RETURN collect(
    // include: trace/read_point_site
  ) AS bare_sites
}
WITH r, l, lot_nodes, whole, more, other_lots, keyed, where, bare_sites, root_missing,
     [g IN keyed WHERE g[0] IS NULL][0] AS unstored
RETURN r IS NOT NULL OR l IS NOT NULL AS known, more, whole,
       lot_nodes + CASE WHEN whole THEN coalesce(unstored[3], []) ELSE other_lots END AS lots,
       [g IN keyed WHERE g[0] IS NOT NULL | [g[0], g[1]]] AS groups, where, bare_sites,
       coalesce(unstored[1], []) + root_missing AS missing
