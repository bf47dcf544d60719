// /epcis/readPoints for a reader who may see every event: the distinct values, read in order off
// the index after $after (paging), without touching the events themselves.
MATCH (e:Event)
USING INDEX e:Event(read_point)
WHERE e.read_point > coalesce($after, '')
RETURN DISTINCT e.read_point AS value
ORDER BY value
LIMIT $limit
