// Tests: each event's has_cert_info flag (genealogy/details reads it instead of the raw JSON).
MATCH (e:Event)
RETURN e.event_id AS event_id, e.has_cert_info AS flag
