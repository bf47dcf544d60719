// /epcis/bizSteps for a reader who may see every event: the distinct values, read in order off
// the index after $after (paging), without touching the events themselves.
MATCH (e:Event)
USING INDEX e:Event(biz_step)
WHERE e.biz_step > coalesce($after, '')
RETURN DISTINCT e.biz_step AS value
ORDER BY value
LIMIT $limit
