// Release 0.4 (issue 16): objects and lots carry their making event, `made_event` (its id) and
// `made_time` (the earliest event naming them as an output, or commissioning them; ties to the
// smaller event id), set at ingest (cypher/ingest/events) and by the bulk loader, so the genealogy
// reads one event per node instead of every event that saw it. Nodes stored before get it here
// (those made by no event are looked at again on a re-run, and keep none).
// (No semicolons inside strings here: the file is split on them.)
MATCH (n:Object) WHERE n.made_event IS NULL
CALL (n) {
  MATCH (n)<-[o:OBSERVED|OBSERVED_CLASS]-(e:Event)
  WHERE o.role = 'output' OR (o.role = 'epc' AND e:ObjectEvent AND e.biz_step = 'commissioning')  // writer.making_roles
  WITH e ORDER BY e.time, e.event_id LIMIT 1
  SET n.made_time = e.time, n.made_event = e.event_id
} IN TRANSACTIONS OF 10000 ROWS;

MATCH (n:Lot) WHERE n.made_event IS NULL
CALL (n) {
  MATCH (n)<-[o:OBSERVED|OBSERVED_CLASS]-(e:Event)
  WHERE o.role = 'output' OR (o.role = 'epc' AND e:ObjectEvent AND e.biz_step = 'commissioning')  // writer.making_roles
  WITH e ORDER BY e.time, e.event_id LIMIT 1
  SET n.made_time = e.time, n.made_event = e.event_id
} IN TRANSACTIONS OF 10000 ROWS;
