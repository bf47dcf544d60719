// /epcis/eventTypes for a reader who may see every event: the distinct values, read in order off
// the index after $after (paging), without touching the events themselves.
MATCH (e:Event)
USING INDEX e:Event(type)
WHERE e.type > coalesce($after, '')
RETURN DISTINCT e.type AS value
ORDER BY value
LIMIT $limit
