MATCH (e:Event)
RETURN e.event_id AS event_id, e.raw AS raw
