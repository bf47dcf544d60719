// Fragment (included, never run alone; graph/queries.py `// include:`): the nodes `ms` of a
// genealogy closure (genealogy/closure_backward) and every node's incoming (walked backward) links, also those
// leaving the closure at the depth bound (how a cut by depth is seen), known at $as_of (all when
// null: genealogy/known_as_of), as parallel columns
// (nulls as ''; collect() drops nulls): far cheaper for the driver than a record per node or
// link. genealogy/links_backward and genealogy/tree_backward read them; links_columns_forward is the mirror.
CALL (ms) {
  UNWIND ms AS m
  RETURN collect(elementId(m)) AS ids, collect(m.epc) AS epcs, collect(m:Item) AS items, collect(m:Lot) AS lot_nodes,
         collect(CASE WHEN m:Item THEN coalesce(m.lot, '') ELSE '' END) AS lots, collect(coalesce(m.gtin, '')) AS gtins
}
CALL (ms) {
  UNWIND ms AS m
  MATCH (m)<-[r:INTO|HAS_ITEM|WAS_INTO]-(x)
  WHERE
  // include: genealogy/known_as_of
  // scalars only (a list or a DateTime per link cost the driver several times the query):
  // the time as its ISO text, no quantity as NaN
  RETURN collect(elementId(m)) AS srcs, collect(elementId(x)) AS dsts, collect(CASE type(r) WHEN 'WAS_INTO' THEN 'INTO' ELSE type(r) END) AS types,
         collect(coalesce(r.transformation_id, '')) AS tids, collect(coalesce(toString(r.time), '')) AS times,
         collect(coalesce(toFloat(r.quantity), 0.0 / 0.0)) AS quantities
}
