// Events without query facets yet (stored before the query interface existed).
MATCH (e:Event)
WHERE e.q_keys IS NULL
RETURN e.event_id AS event_id, e.raw AS raw, e.context AS context, e.error_declaration AS declaration
LIMIT $limit
