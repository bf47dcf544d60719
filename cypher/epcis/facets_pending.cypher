// Events without query facets yet (stored before the query interface existed), but those of
// $skip: events whose facets came out with no keys (an empty list is no property, so they keep
// no q_keys) and would otherwise be found again forever. A label scan: the planner would read the
// event_id index for the NOT IN, slower when nothing is pending (every start).
MATCH (e:Event) USING SCAN e:Event
WHERE e.q_keys IS NULL AND NOT e.event_id IN $skip
RETURN e.event_id AS event_id, e.raw AS raw, e.context AS context, e.error_declaration AS declaration
LIMIT $limit
