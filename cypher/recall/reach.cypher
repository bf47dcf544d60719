// Forward closure, fast path (no as-of, no depth limit): one pruning var-length
// expand from the start nodes. `next` lists the links of nodes that lead on to
// nodes that lead further: all the cycle check needs, without the big last level.
UNWIND $ids AS id
MATCH (n) WHERE elementId(n) = id
MATCH (n)-[:INTO|HAS_ITEM*0..{{max_depth}}]->(m)
WITH DISTINCT m
WITH m, CASE WHEN EXISTS { (m)-[:INTO|HAS_ITEM]->() }
            THEN [(m)-[:INTO|HAS_ITEM]->(x) WHERE EXISTS { (x)-[:INTO|HAS_ITEM]->() } | elementId(x)]
            ELSE [] END AS next
// One record of parallel columns (nulls as ''; collect() drops nulls): far cheaper for
// the driver than a record per node, or a list per node.
RETURN collect(elementId(m)) AS ids, collect(m.epc) AS epcs, collect(m:Item) AS items,
       collect(CASE WHEN m:Item THEN coalesce(m.lot, '') ELSE '' END) AS lots, collect(coalesce(m.gtin, '')) AS gtins,
       collect(next) AS nexts,
       // each item's stored state (ingest/item_state): the scope needs no second lookup
       collect(coalesce(m.state_status, '')) AS statuses, collect(coalesce(m.state_site, '')) AS sites,
       collect(coalesce(m.state_direct, false)) AS directs, collect(coalesce(m.state_ship_ms, [])) AS ship_ms,
       collect(coalesce(m.state_ship_to, [])) AS ship_to
