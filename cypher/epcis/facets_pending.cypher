// Events without query facets yet (stored before the query interface existed), in event_id
// order after $after: an event with no facet keys has no q_keys either (an empty list is no
// property), so the caller walks the events once instead of asking again from the start.
MATCH (e:Event)
WHERE e.event_id > $after AND e.q_keys IS NULL
RETURN e.event_id AS event_id, e.raw AS raw, e.context AS context, e.error_declaration AS declaration
ORDER BY e.event_id
LIMIT $limit
