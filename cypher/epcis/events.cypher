// SimpleEventQuery subset of the EPCIS REST binding; each filter is null when absent.
// Keyset paging on (time, event_id): $after_time/$after_id are the last row of the previous page.
MATCH (e:Event)
WHERE ($types IS NULL OR e.type IN $types)
  AND ($biz_steps IS NULL OR e.biz_step IN $biz_steps)
  AND ($biz_locations IS NULL OR e.biz_location IN $biz_locations)
  AND ($ge_time IS NULL OR e.time >= $ge_time)
  AND ($lt_time IS NULL OR e.time < $lt_time)
  AND ($epcs IS NULL OR EXISTS {
        MATCH (e)-[o:OBSERVED]->(x:Object) WHERE x.epc IN $epcs AND o.role IN $roles })
  AND ($after_time IS NULL OR e.time > $after_time OR (e.time = $after_time AND e.event_id > $after_id))
RETURN e.event_id AS event_id, e.time AS time, e.raw AS raw, e.context AS context, e.recorded AS recorded,
       e.error_declaration AS declaration
ORDER BY e.time, e.event_id
LIMIT $limit
