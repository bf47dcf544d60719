// Fragment (included, never run alone; graph/queries.py `// include:`): a subquery body giving
// `path`, a shortest derivation path from any start node (element ids `start_ids`) to item `i`
// (recall/paths, recall/fast_scope); no row when none. When `i` is a start, or exactly one
// start is right above it, that is the only shortest path (no search); else it is searched
// between the start and the item when there is one start, backward from the item when more.
WITH i, start_ids,
     CASE WHEN elementId(i) IN start_ids THEN [i.epc]
          ELSE COLLECT { MATCH (s)-[:INTO|HAS_ITEM]->(i) WHERE elementId(s) IN start_ids RETURN DISTINCT s.epc }
     END AS near
CALL (i, start_ids, near) {
  WITH i, near WHERE size(near) = 1
  RETURN CASE WHEN near[0] = i.epc THEN near ELSE near + [i.epc] END AS path
  UNION
  // one start: both ends bound, searched from both sides (several times fewer nodes than from the
  // item alone, whose ancestors are its whole bill of materials)
  WITH i, start_ids, near WHERE size(near) <> 1 AND size(start_ids) = 1
  MATCH (s) WHERE elementId(s) = start_ids[0]
  MATCH p = ANY SHORTEST (s)-[:INTO|HAS_ITEM]->{0,{{max_depth}}}(i)
  RETURN [n IN nodes(p) | n.epc] AS path
  UNION
  WITH i, start_ids, near WHERE size(near) <> 1 AND size(start_ids) <> 1
  MATCH p = ANY SHORTEST (i)<-[:INTO|HAS_ITEM]-{0,{{max_depth}}}(s WHERE elementId(s) IN start_ids)
  RETURN [n IN reverse(nodes(p)) | n.epc] AS path
  LIMIT 1
}
RETURN path
