// The genealogy closure downstream with every link, in one statement: the walk's path when there
// is a depth or size limit or an as-of date (tracegraph/genealogy/closure.py `bfs` finds the BFS
// depths and parents from these links, and cuts at the limits, exactly as a level-by-level walk
// would, without a round trip per level; with $as_of, only the links known then:
// genealogy/known_as_of). links_backward is its mirror. One pruning var-length
// expand gives the nodes; the links are every node's outgoing links, also those leaving the
// closure at the depth bound (how a cut by depth is seen).
UNWIND $ids AS id
MATCH (n) WHERE elementId(n) = id
// the closure of now, and through the genealogy links a later error declaration undid
// (WAS_INTO, ingest/declare_errors): every node reachable as of any moment, one pruning
// var-length expand as genealogy/closure_forward
MATCH (n)-[:INTO|HAS_ITEM|WAS_INTO*0..{{max_depth}}]->(m)
WITH DISTINCT m
WITH collect(m) AS ms
// include: genealogy/links_columns_forward
// as of a moment, the items' stored states too, in `state` (recall/state_columns): the recall scope
// takes those settled then instead of reading them again by epc (none for a closure of now)
CALL (ms) {
  CALL (ms) {
    UNWIND ms AS i
    WITH i WHERE $as_of IS NOT NULL AND i:Item
    // include: recall/state_columns
  }
  RETURN {epcs: epcs, stored: stored, sites: sites, statuses: statuses, directs: directs, ship_ms: ship_ms,
          ship_to: ship_to, settled: settled} AS state
}
RETURN ids, epcs, items, lot_nodes, lots, gtins, srcs, dsts, types, tids, times, quantities, state
