// Tests: the empty lists a store written before held (the writer stored [] then, where it now
// stores no property), on every event and every item with a stored state that lacks them.
MATCH (e:Event)
SET e.destinations = coalesce(e.destinations, []), e.q_keys = coalesce(e.q_keys, []),
    e.q_str = coalesce(e.q_str, []), e.q_nk = coalesce(e.q_nk, []), e.q_nv = coalesce(e.q_nv, [])
WITH count(*) AS events
MATCH (i:Item)
WHERE i.state_key IS NOT NULL
SET i.state_ship_ms = coalesce(i.state_ship_ms, []), i.state_ship_to = coalesce(i.state_ship_to, []),
    i.state_where = coalesce(i.state_where, [])
RETURN events, count(*) AS items
