// Fragment (included, never run alone; graph/queries.py `// include:`): a subquery body giving
// `path`, a shortest derivation path from any start node (element ids `start_ids`) to item `i`
// through the links known at $as_of (today's when null: genealogy/known_as_of) (recall/paths,
// recall/fast_answer); no row when none. `live`: recall/live_was_into. When `i` is a start, or
// exactly one start is right above it, that is the only shortest path (no search); else today's
// links are searched, between the start and the item when there is one start, backward from the
// item when more. As of a moment, that path stands when every link on it was known then and no
// undone link was still live (then it is also a shortest path then: recall/live_was_into); else the
// search is made again through the links known then (a search that tests each link as it goes,
// several times slower, so a path of today never makes it).
WITH i, start_ids, live,
     CASE WHEN elementId(i) IN start_ids THEN [i.epc]
          ELSE COLLECT { MATCH (s)-[r:INTO|HAS_ITEM|WAS_INTO]->(i) WHERE elementId(s) IN start_ids AND
                         // include: genealogy/known_as_of
                         RETURN DISTINCT s.epc }
     END AS near
CALL (i, start_ids, live, near) {
  WITH i, near WHERE size(near) = 1
  RETURN CASE WHEN near[0] = i.epc THEN near ELSE near + [i.epc] END AS found, true AS valid
  UNION
  // one start: both ends bound, searched from both sides (several times fewer nodes than from the
  // item alone, whose ancestors are its whole bill of materials)
  WITH i, start_ids, live, near WHERE size(near) <> 1 AND size(start_ids) = 1 AND NOT live
  MATCH (s) WHERE elementId(s) = start_ids[0]
  MATCH p = ANY SHORTEST (s)-[:INTO|HAS_ITEM]->{0,{{max_depth}}}(i)
  RETURN [n IN nodes(p) | n.epc] AS found, all(r IN relationships(p) WHERE
    // include: genealogy/known_as_of
  ) AS valid
  UNION
  WITH i, start_ids, live, near WHERE size(near) <> 1 AND size(start_ids) <> 1 AND NOT live
  MATCH p = ANY SHORTEST (i)<-[:INTO|HAS_ITEM]-{0,{{max_depth}}}(s WHERE elementId(s) IN start_ids)
  // a shortest path per start that reaches the item: the shortest of them
  WITH p ORDER BY length(p) LIMIT 1
  RETURN [n IN reverse(nodes(p)) | n.epc] AS found, all(r IN relationships(p) WHERE
    // include: genealogy/known_as_of
  ) AS valid
  UNION
  // no path of today to judge: searched through the links known then at once
  WITH i, near, live WHERE size(near) <> 1 AND live
  RETURN null AS found, false AS valid
}
CALL (i, start_ids, found, valid) {
  WITH found WHERE valid
  RETURN found AS path
  UNION
  WITH i, start_ids WHERE NOT valid AND size(start_ids) = 1
  MATCH (s) WHERE elementId(s) = start_ids[0]
  MATCH p = ANY SHORTEST (s)-[r:INTO|HAS_ITEM|WAS_INTO WHERE
    // include: genealogy/known_then
  ]->{0,{{max_depth}}}(i)
  RETURN [n IN nodes(p) | n.epc] AS path
  UNION
  WITH i, start_ids WHERE NOT valid AND size(start_ids) <> 1
  MATCH p = ANY SHORTEST (i)<-[r:INTO|HAS_ITEM|WAS_INTO WHERE
    // include: genealogy/known_then
  ]-{0,{{max_depth}}}(s WHERE elementId(s) IN start_ids)
  WITH p ORDER BY length(p) LIMIT 1
  RETURN [n IN reverse(nodes(p)) | n.epc] AS path
}
RETURN path
