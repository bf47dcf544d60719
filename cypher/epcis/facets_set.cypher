// Query facets of stored events (tracegraph/epcis_query/facets.py).
UNWIND $rows AS r
MATCH (e:Event {event_id: r.event_id})
SET e.q_keys = r.q_keys, e.q_str = r.q_str, e.q_nk = r.q_nk, e.q_nv = r.q_nv
