// Error declarations (EPCIS 2.0 §7.4.1.4): the declared event stays stored but stops
// counting. Traces skip it (observations filter on error_declared); the packing it
// began is removed and the packing it ended is reopened; genealogy is recomputed
// for its transformation (genealogy.cypher skips declared events).
// An as-of question asks what was known then (trace/counts_as_of), so nothing is lost: the
// declaration counts from `declared_at` (made and recorded by then, tracegraph/capture/writer.py),
// and each link it undoes is kept as a WAS_IN or WAS_INTO copy `retracted` then; a reopened
// packing is a new version of the link, known `since` then (trace/packed_as_of reads both).
UNWIND $rows AS r
MATCH (e:Event {event_id: r.event_id}) USING INDEX e:Event(event_id)
SET e.error_declared = true, e.error_declaration = r.declaration,
    e.declaration_time = r.declaration_time, e.declaration_reason = r.reason,
    e.corrective_event_ids = r.corrective, e.declared_at = datetime(r.declared_at)
WITH e
// Found from the event's parent and its transformation's other events (indexed), not
// by scanning every IN or INTO relationship.
CALL (e) {
  MATCH (e)-[:OBSERVED {role: 'parent'}]->(parent:Object)<-[x:IN {start_event: e.event_id}]-(child:Object)
  CREATE (child)-[y:WAS_IN]->(parent)
  SET y = properties(x), y.retracted = e.declared_at
  DELETE x
}
CALL (e) {
  MATCH (e)-[:OBSERVED {role: 'parent'}]->(parent:Object)<-[x:IN {end_event: e.event_id}]-(child:Object)
  CREATE (child)-[y:WAS_IN]->(parent)
  SET y = properties(x), y.retracted = e.declared_at
  SET x.end = null, x.end_event = null, x.end_known = null, x.since = e.declared_at
}
CALL (e) {
  WITH e WHERE e.transformation_id IS NOT NULL
  MATCH (t:Event {transformation_id: e.transformation_id})-[:OBSERVED|OBSERVED_CLASS]->(input)
        -[x:INTO {transformation_id: e.transformation_id}]->(output)
  USING INDEX t:Event(transformation_id)
  WITH DISTINCT input, x, output
  CREATE (input)-[y:WAS_INTO]->(output)
  SET y = properties(x), y.retracted = e.declared_at
  DELETE x
}
RETURN collect(DISTINCT e.transformation_id) AS tids
