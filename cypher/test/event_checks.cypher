// Tests: whether each event is labelled :Check (writer.is_check: an inspection or a certificate).
MATCH (e:Event)
RETURN e.event_id AS event_id, e:Check AS check
