// Which of these event IDs are stored already (re-sent events are skipped).
UNWIND $ids AS id
MATCH (e:Event {event_id: id})
RETURN collect(e.event_id) AS existing
