// The importer reads an empty CSV field as no property, never as an empty list; the streaming
// writer stores empty lists. Give imported events theirs (a bulk load only, run once; the
// transactions touch disjoint events, so they run side by side).
MATCH (e:Event)
WHERE e.destinations IS NULL OR e.q_keys IS NULL OR e.q_str IS NULL OR e.q_nk IS NULL OR e.q_nv IS NULL
CALL (e) {
  SET e.destinations = coalesce(e.destinations, []), e.q_keys = coalesce(e.q_keys, []),
      e.q_str = coalesce(e.q_str, []), e.q_nk = coalesce(e.q_nk, []), e.q_nv = coalesce(e.q_nv, [])
} IN 4 CONCURRENT TRANSACTIONS OF 5000 ROWS;

// and the items their stored state's lists (ingest/item_state; the state came with the CSV)
MATCH (i:Item)
WHERE i.state_key IS NOT NULL AND (i.state_ship_ms IS NULL OR i.state_ship_to IS NULL OR i.state_where IS NULL)
CALL (i) {
  SET i.state_ship_ms = coalesce(i.state_ship_ms, []), i.state_ship_to = coalesce(i.state_ship_to, []),
      i.state_where = coalesce(i.state_where, [])
} IN 4 CONCURRENT TRANSACTIONS OF 5000 ROWS
