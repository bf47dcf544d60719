// /epcis/dispositions for a reader who may see every event: the distinct values, read in order off
// the index after $after (paging), without touching the events themselves.
MATCH (e:Event)
USING INDEX e:Event(disposition)
WHERE e.disposition > coalesce($after, '')
RETURN DISTINCT e.disposition AS value
ORDER BY value
LIMIT $limit
