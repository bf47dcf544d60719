// One breadth-first level of a size-limited genealogy walk (tracegraph/genealogy/closure.py
// `levels`: a closure bigger than the size limit, whose last level would be read whole for
// the few nodes kept): from the frontier `$ids`, every link to a node walked already
// (`$known`), and the first `$budget` + 1 nodes not walked yet with all their links from the
// frontier (which nodes a size limit keeps is arbitrary in any BFS). In the columns of
// genealogy/links_columns_forward, with the new nodes' details (genealogy/details); level_backward is
// the mirror.
UNWIND $ids AS id
MATCH (n) WHERE elementId(n) = id
WITH collect(n) AS frontier
CALL (frontier) {
  UNWIND frontier AS n
  MATCH (n)-[r:INTO|HAS_ITEM]->(m) WHERE elementId(m) IN $known
  RETURN collect(r) AS old
}
CALL (frontier) {
  UNWIND frontier AS n
  MATCH (n)-[r:INTO|HAS_ITEM]->(m) WHERE NOT elementId(m) IN $known
  WITH m, collect(r) AS rs
  LIMIT $budget + 1
  UNWIND rs AS r
  RETURN collect(DISTINCT m) AS ms, collect(r) AS fresh
}
CALL (ms) {
  UNWIND ms AS m
  RETURN collect(elementId(m)) AS ids, collect(m.epc) AS epcs, collect(m:Item) AS items, collect(m:Lot) AS lot_nodes,
         collect(CASE WHEN m:Item THEN coalesce(m.lot, '') ELSE '' END) AS lots, collect(coalesce(m.gtin, '')) AS gtins
}
CALL (old, fresh) {
  UNWIND old + fresh AS r
  RETURN collect(elementId(startNode(r))) AS srcs, collect(elementId(endNode(r))) AS dsts, collect(type(r)) AS types,
         collect(coalesce(r.transformation_id, '')) AS tids, collect(coalesce(toString(r.time), '')) AS times,
         collect(coalesce(toFloat(r.quantity), 0.0 / 0.0)) AS quantities
}
WITH *, ms AS ns, false AS upstream
// include: genealogy/details
RETURN ids, epcs, items, lot_nodes, lots, gtins, srcs, dsts, types, tids, times, quantities,
       kinds, products, made_ids, made_events, made_times, made_types, made_sites, made_points, product_rows,
       site_rows, check_of, check_ids, check_times, check_steps, check_dispositions, check_sites, check_raws
