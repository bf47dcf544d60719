// /epcis/epcs for a reader who may see every event: observed objects in EPC order after
// $after (paging), read off the object_epc constraint's index.
MATCH (x:Object)
USING INDEX x:Object(epc)
WHERE x.epc > coalesce($after, '') AND EXISTS { (x)<-[:OBSERVED]-(:Event) }
RETURN x.epc AS value
ORDER BY value
LIMIT $limit
