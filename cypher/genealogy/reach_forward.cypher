// The genealogy closure downstream in one statement: the walk's fast path when there is
// no as-of, depth or size limit (tracegraph/genealogy/closure.py), for trace and recall
// scope alike; reach_backward is its mirror. One pruning var-length expand from the start
// nodes. `next` lists the links of nodes that lead on to nodes that lead further: all the
// cycle check needs, without the big last level.
UNWIND $ids AS id
MATCH (n) WHERE elementId(n) = id
// include: genealogy/closure_forward
WITH DISTINCT m
WITH m, CASE WHEN $full AND EXISTS { (m)-[:INTO|HAS_ITEM]->() }
            THEN [(m)-[:INTO|HAS_ITEM]->(x) WHERE EXISTS { (x)-[:INTO|HAS_ITEM]->() } | elementId(x)]
            ELSE [] END AS next
// One record of parallel columns (nulls as ''; collect() drops nulls): far cheaper for
// the driver than a record per node, or a list per node.
RETURN collect(elementId(m)) AS ids, collect(m.epc) AS epcs, collect(m:Item) AS items, collect(m:Lot) AS lot_nodes,
       collect(CASE WHEN m:Item THEN coalesce(m.lot, '') ELSE '' END) AS lots, collect(coalesce(m.gtin, '')) AS gtins,
       collect(next) AS nexts,
       // each item's stored state (ingest/item_state): a scope needs no second lookup; with
       // $full false (a trace: it reads the state of one page) neither state nor links are read
       collect(CASE WHEN $full THEN coalesce(m.state_status, '') ELSE '' END) AS statuses,
       collect(CASE WHEN $full THEN coalesce(m.state_site, '') ELSE '' END) AS sites,
       collect(CASE WHEN $full THEN coalesce(m.state_direct, false) ELSE false END) AS directs,
       collect(CASE WHEN $full THEN coalesce(m.state_ship_ms, []) ELSE [] END) AS ship_ms,
       collect(CASE WHEN $full THEN coalesce(m.state_ship_to, []) ELSE [] END) AS ship_to
