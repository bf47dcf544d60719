// Which of these event IDs are stored already (re-sent events are skipped), and
// which of those are declared erroneous already (a re-sent declaration is a no-op).
UNWIND $ids AS id
MATCH (e:Event {event_id: id}) USING INDEX e:Event(event_id)
RETURN collect(e.event_id) AS existing,
       collect(CASE WHEN e.error_declared THEN e.event_id END) AS declared
