// code: MULTI_PARENT
// title: Packed into a second container while still in the first
// severity: medium
// subject: object
// triggers: [AggregationEvent]
// params: {}
//
// Two packing intervals of the same child in different parents that overlap:
// the second began before the first ended (or the first never ended). Declared
// AggregationEvents need no filter: declaring one deletes the IN edges it began and
// reopens those it ended (ingest/declare_errors).
CALL () {
  WITH 1 AS full WHERE $epcs IS NULL
  MATCH (c:Object)-[:IN]->() RETURN DISTINCT c
  UNION
  UNWIND coalesce($epcs, []) AS epc
  MATCH (c:Object {epc: epc}) USING INDEX c:Object(epc) RETURN c
}
MATCH (p1:Object)<-[x1:IN]-(c)-[x2:IN]->(p2:Object)
WHERE p1 <> p2
  AND (x1.start < x2.start OR (x1.start = x2.start AND x1.start_event < x2.start_event))
  AND (x1.end IS NULL OR x1.end > x2.start)
WITH c, collect(DISTINCT x1.start_event) + collect(DISTINCT x2.start_event) AS ids,
     collect(DISTINCT p1.epc) + collect(DISTINCT p2.epc) AS parents, max(x2.start) AS time
UNWIND ids AS id
MATCH (e:Event {event_id: id}) USING INDEX e:Event(event_id)
WITH c, parents, time, e ORDER BY e.time, e.event_id
WITH c, parents, time, collect(DISTINCT e.event_id) AS events
RETURN c.epc AS subject, events,
       {parents: reduce(ps = [], p IN parents | CASE WHEN p IN ps THEN ps ELSE ps + p END)} AS detail, time
