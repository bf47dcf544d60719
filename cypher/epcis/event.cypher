MATCH (e:Event {event_id: $id})
RETURN e.event_id AS event_id, e.time AS time, e.raw AS raw, e.context AS context, e.recorded AS recorded,
       e.error_declaration AS declaration
