// Fragment (included, never run alone): a trace's answer from its closure `m`
// (trace/fast_forward, fast_backward), in one record of parallel columns:
// - serials: one page of the reached items (the root excluded) in epc order, after $after,
//   at most $limit (null: all); more: items are left after the page;
// - lots: Lot nodes reached and the lots of the reached items (the whole trace's);
// - site, status: each page item's stored state (ingest/item_state);
// - containers, places, read_points: the stored places (recall/item_places) of the page's
//   items (and of the root item on the first page) united; the read points without a
//   bizLocation are resolved to their site here, from the master data as it is now;
// - missing: items of those whose stored places are absent or of another format than
//   $version (loaded before it): the caller counts them from events (trace/places).
// - known: $epc is an object or a lot.
WITH DISTINCT m
WITH m WHERE m.epc <> $epc
ORDER BY m.epc
WITH collect(m) AS reached
WITH [m IN reached WHERE m:Item] AS items, [m IN reached WHERE m:Lot | m.epc] AS lot_nodes
WITH items, lot_nodes, [m IN items WHERE $after IS NULL OR m.epc > $after] AS rest
WITH items, lot_nodes, rest, CASE WHEN $limit IS NULL THEN rest ELSE rest[..$limit] END AS page
OPTIONAL MATCH (r:Object {epc: $epc}) USING INDEX r:Object(epc)
WITH items, lot_nodes, rest, page, r,
     page + CASE WHEN r:Item AND $after IS NULL THEN [r] ELSE [] END AS placed
CALL (items) {
  UNWIND items AS m
  WITH DISTINCT m.lot AS lot WHERE lot IS NOT NULL
  RETURN collect(lot) AS item_lots
}
CALL (placed) {
  UNWIND placed AS m
  WITH m WHERE m.state_v = $version
  UNWIND m.state_containers AS c
  RETURN collect(DISTINCT c) AS containers
}
CALL (placed) {
  UNWIND placed AS m
  WITH m WHERE m.state_v = $version
  UNWIND m.state_places AS p
  RETURN collect(DISTINCT p) AS places
}
CALL (placed) {
  UNWIND placed AS m
  WITH m WHERE m.state_v = $version
  UNWIND m.state_bare AS rp
  WITH DISTINCT rp
  RETURN collect(
    // include: trace/read_point_site
  ) AS bare_sites
}
CALL (placed) {
  UNWIND placed AS m
  WITH m WHERE m.state_v = $version
  UNWIND m.state_read_points AS rp
  RETURN collect(DISTINCT rp) AS read_points
}
RETURN r IS NOT NULL OR EXISTS { MATCH (:Lot {epc: $epc}) } AS known,
       $limit IS NOT NULL AND size(rest) > $limit AS more,
       lot_nodes + item_lots AS lots,
       [m IN page | m.epc] AS serials,
       [m IN page | coalesce(m.state_site, '')] AS sites_now,
       [m IN page | coalesce(m.state_status, '')] AS statuses,
       [m IN placed WHERE coalesce(m.state_v, 0) <> $version | m.epc] AS missing,
       containers, places + bare_sites AS sites, read_points
