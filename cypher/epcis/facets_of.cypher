// The stored events whose query facets a capture transaction (re)computes.
UNWIND $ids AS id
MATCH (e:Event {event_id: id})
RETURN e.event_id AS event_id, e.raw AS raw, e.context AS context, e.error_declaration AS declaration
