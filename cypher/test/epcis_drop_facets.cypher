// Tests: events as stored before the query interface existed (no facets).
MATCH (e:Event)
REMOVE e.q_keys, e.q_str, e.q_nk, e.q_nv
RETURN count(e) AS events
