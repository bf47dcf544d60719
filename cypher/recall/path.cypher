// Fragment (included, never run alone; graph/queries.py `// include:`): a subquery body giving
// `path`, a shortest derivation path from any start node (element ids `start_ids`) to item `i`,
// searched backward from the item (recall/paths, recall/fast_scope); no row when none.
MATCH p = ANY SHORTEST (i)<-[:INTO|HAS_ITEM]-{0,{{max_depth}}}(s WHERE elementId(s) IN start_ids)
RETURN [n IN reverse(nodes(p)) | n.epc] AS path
LIMIT 1
