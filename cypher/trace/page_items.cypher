// Fragment (included, never run alone): the reached nodes of a trace's closure `m`
// (trace/fast_forward, paged_forward and backward), before its page (trace/page): `items`,
// the reached items (the root excluded; left out by node, not by reading every epc), `lot_nodes`,
// the epcs of the Lot nodes reached, the root as `r` (an object) or `l` (a lot), and `whole`:
// every item is on this page (no $after, at most $limit items).
WITH DISTINCT m
WITH collect(m) AS reached
OPTIONAL MATCH (r:Object {epc: $epc}) USING INDEX r:Object(epc)
OPTIONAL MATCH (l:Lot {epc: $epc}) USING INDEX l:Lot(epc)
WITH reached, r, l, [x IN [r, l] WHERE x IS NOT NULL] AS roots
WITH r, l, [m IN reached WHERE m:Item AND NOT m IN roots] AS items,
     [m IN reached WHERE m:Lot AND NOT m IN roots | m.epc] AS lot_nodes
WITH r, l, items, lot_nodes, $after IS NULL AND size(items) <= $limit AS whole
