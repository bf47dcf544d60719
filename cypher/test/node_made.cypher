// Tests: each object's and lot's stored making event (ingest/events, the bulk loader, migration 0004).
MATCH (n) WHERE n:Object OR n:Lot
RETURN n.epc AS epc, n.made_event AS event_id, n.made_time AS time
ORDER BY epc
