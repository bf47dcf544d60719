// Fragment (included, never run alone): a trace's answer from its closure `m`
// (trace/fast_forward, fast_backward), in one record of parallel columns:
// - serials, sites_now, statuses: the reached items (the root excluded) of one page, with
//   their stored state (ingest/item_state); `sorted`: in epc order, after $after, at most
//   $limit. When the whole trace is the page they come unsorted (sorted false:
//   the caller sorts; a sort here cost more than the rest of the page); more: items follow;
// - lots: Lot nodes reached and the lots of the reached items (the whole trace's);
// - where: the stored places (state_where, recall/item_places) of the page's items (and of
//   the root item on the first page) united; bare_sites: the sites of the read points
//   without a bizLocation among them, resolved from the master data as it is now;
// - missing: items of those whose stored places are absent or of another format than
//   $version (loaded before it): the caller counts them from events (trace/places);
// - known: $epc is an object or a lot.
WITH DISTINCT m
WITH m WHERE m.epc <> $epc
WITH collect(CASE WHEN m:Item THEN m END) AS items, collect(CASE WHEN m:Lot THEN m.epc END) AS lot_nodes
WITH items, lot_nodes, $after IS NULL AND size(items) <= $limit AS whole
CALL (items, whole) {
  WITH items WHERE NOT whole
  UNWIND items AS m
  WITH m WHERE $after IS NULL OR m.epc > $after
  ORDER BY m.epc
  LIMIT $limit + 1
  RETURN collect(m) AS ordered
}
WITH lot_nodes, whole, items, CASE WHEN whole THEN items ELSE ordered[..$limit] END AS page,
     NOT whole AND size(ordered) > $limit AS more
CALL (items, whole) {
  WITH items WHERE NOT whole
  UNWIND items AS m
  RETURN collect(DISTINCT m.lot) AS other_lots
}
CALL (page) {
  UNWIND page AS m
  RETURN collect(m.epc) AS serials, collect(coalesce(m.state_site, '')) AS sites_now,
         collect(coalesce(m.state_status, '')) AS statuses, collect(DISTINCT m.lot) AS page_lots
}
OPTIONAL MATCH (r:Object {epc: $epc}) USING INDEX r:Object(epc)
WITH lot_nodes, whole, page, more, other_lots, serials, sites_now, statuses, page_lots, r,
     page + CASE WHEN r:Item AND $after IS NULL THEN [r] ELSE [] END AS placed
CALL (placed) {
  UNWIND placed AS m
  WITH m WHERE m.state_v = $version
  // items packed and moved together share their list: unwind each distinct list once
  WITH DISTINCT m.state_where AS ws
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
RETURN r IS NOT NULL OR EXISTS { MATCH (:Lot {epc: $epc}) } AS known, NOT whole AS sorted, more,
       lot_nodes + CASE WHEN whole THEN page_lots ELSE other_lots END AS lots,
       serials, sites_now, statuses, where, bare_sites,
       [m IN placed WHERE coalesce(m.state_v, 0) <> $version | m.epc] AS missing
