// Fragment (included, never run alone; graph/queries.py `// include:`): the stored current state
// of items `i` (ingest/item_state) as parallel columns (recall/state, and genealogy/links_forward
// for an as-of closure); `stored` is false for items written before it existed (recall/where
// computes those); `settled`: it is also the state as of $as_of (nothing that bears on it was
// known later: `state_known`, recalls/state.py `store`). Every column coalesces: collect() drops
// nulls, which would shift the parallel columns.
RETURN collect(i.epc) AS epcs, collect(i.state_status IS NOT NULL) AS stored,
       collect(coalesce(i.state_site, '')) AS sites, collect(coalesce(i.state_status, '')) AS statuses,
       collect(coalesce(i.state_direct, false)) AS directs, collect(coalesce(i.state_ship_ms, [])) AS ship_ms,
       collect(coalesce(i.state_ship_to, [])) AS ship_to, collect(coalesce(i.state_known <= $as_of, false)) AS settled
