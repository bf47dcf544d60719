// Tests: what commissioning stored on each item and lot (ingest/events, the bulk loader).
MATCH (n) WHERE n:Item OR n:Lot
RETURN n.epc AS epc, n.commissioned AS commissioned, n.manufactured AS manufactured, n.made_event AS made_event
ORDER BY epc
