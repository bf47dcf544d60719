// The genealogy closure downstream (the genealogy/closure_forward fragment) with every link, in one statement: the walk's path when there
// is a depth or size limit but no as-of (tracegraph/genealogy/closure.py `bfs` finds the BFS
// depths and parents from these links, and cuts at the limits, exactly as a level-by-level walk
// would, without a round trip per level). links_backward is its mirror. One pruning var-length
// expand gives the nodes; the links are every node's outgoing links, also those leaving the
// closure at the depth bound (how a cut by depth is seen).
UNWIND $ids AS id
MATCH (n) WHERE elementId(n) = id
// include: genealogy/closure_forward
WITH DISTINCT m
WITH collect(m) AS ms
// Parallel columns (nulls as ''; collect() drops nulls): far cheaper for the driver than a
// record per node or link.
CALL (ms) {
  UNWIND ms AS m
  RETURN collect(elementId(m)) AS ids, collect(m.epc) AS epcs, collect(m:Item) AS items, collect(m:Lot) AS lot_nodes,
         collect(CASE WHEN m:Item THEN coalesce(m.lot, '') ELSE '' END) AS lots, collect(coalesce(m.gtin, '')) AS gtins
}
CALL (ms) {
  UNWIND ms AS m
  MATCH (m)-[r:INTO|HAS_ITEM]->(x)
  // scalars only (a list or a DateTime per link cost the driver several times the query):
  // the time as its ISO text, no quantity as NaN
  RETURN collect(elementId(m)) AS srcs, collect(elementId(x)) AS dsts, collect(type(r)) AS types,
         collect(coalesce(r.transformation_id, '')) AS tids, collect(coalesce(toString(r.time), '')) AS times,
         collect(coalesce(toFloat(r.quantity), 0.0 / 0.0)) AS quantities
}
RETURN ids, epcs, items, lot_nodes, lots, gtins, srcs, dsts, types, tids, times, quantities
