// Tests: which of the lists that may be empty an event and an item hold as properties.
OPTIONAL MATCH (e:Event {event_id: $event_id})
OPTIONAL MATCH (i:Object {epc: $epc})
RETURN [k IN keys(e) WHERE k IN ['destinations', 'q_keys', 'q_str', 'q_nk', 'q_nv']] AS event,
       [k IN keys(i) WHERE k IN ['state_ship_ms', 'state_ship_to', 'state_where', 'state_key']] AS item
