// A genealogy downstream in one statement (one round trip; tracegraph/genealogy/service.py): the
// root by its epc (as genealogy/root: an object, else a lot; `root` null when unknown), the
// closure with every link (genealogy/closure_forward, links_columns_forward: closure.py `from_links`
// walks them breadth first and cuts at the depth limit) and every node's details
// (genealogy/details), when the closure has at most $max_nodes nodes; a bigger one is walked
// level by level up to the size limit (genealogy/level_*, with the details of each level's
// nodes). tree_backward is the mirror.
CALL () {
  MATCH (o:Object {epc: $epc}) RETURN o AS n
  UNION
  MATCH (l:Lot {epc: $epc}) RETURN l AS n
}
WITH collect(n)[0] AS n
CALL (n) {
  WITH n WHERE n IS NOT NULL
// include: genealogy/closure_forward
  WITH DISTINCT m LIMIT $max_nodes + 1
  RETURN collect(m) AS ms
}
// a closure bigger than the size limit: its first nodes found only tell so (closure.levels walks it)
WITH n, size(ms) <= $max_nodes AS detailed, ms
WITH n, detailed, CASE WHEN detailed THEN ms ELSE [] END AS ms
// Each node's relationship chain is walked four times (the closure, its links, OF_PRODUCT, the
// observing events); one expand split by type() and startNode() reads a third fewer db hits
// but costs Neo4j more CPU than the walks it saves (issue 16: +24% at 1,189 nodes): kept apart.
// include: genealogy/links_columns_forward
// a bigger closure: the root's details (closure.levels reads the others' with their level)
WITH *, CASE WHEN detailed THEN ms WHEN n IS NULL THEN [] ELSE [n] END AS ns, false AS upstream
// include: genealogy/details
RETURN elementId(n) AS root, detailed,
       ids, epcs, items, lot_nodes, lots, gtins, srcs, dsts, types, tids, times, quantities,
       kinds, products, made_ids, made_events, made_times, made_types, made_sites, made_points, product_rows,
       site_rows, check_of, check_ids, check_times, check_steps, check_dispositions, check_sites, check_raws
