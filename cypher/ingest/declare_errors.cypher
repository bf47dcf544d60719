// Error declarations (EPCIS 2.0 §7.4.1.4): the declared event stays stored but stops
// counting. Traces skip it (observations filter on error_declared); the packing it
// began is removed and the packing it ended is reopened; genealogy is recomputed
// for its transformation (genealogy.cypher skips declared events).
UNWIND $rows AS r
MATCH (e:Event {event_id: r.event_id}) USING INDEX e:Event(event_id)
SET e.error_declared = true, e.error_declaration = r.declaration,
    e.declaration_time = r.declaration_time, e.declaration_reason = r.reason,
    e.corrective_event_ids = r.corrective
WITH e
// Found from the event's parent and its transformation's other events (indexed), not
// by scanning every IN or INTO relationship.
CALL (e) {
  MATCH (e)-[:OBSERVED {role: 'parent'}]->(:Object)<-[x:IN {start_event: e.event_id}]-(:Object)
  DELETE x
}
CALL (e) {
  MATCH (e)-[:OBSERVED {role: 'parent'}]->(:Object)<-[x:IN {end_event: e.event_id}]-(:Object)
  SET x.end = null, x.end_event = null
}
CALL (e) {
  WITH e WHERE e.transformation_id IS NOT NULL
  MATCH (t:Event {transformation_id: e.transformation_id})-[:OBSERVED|OBSERVED_CLASS]->(input)
        -[x:INTO {transformation_id: e.transformation_id}]->()
  USING INDEX t:Event(transformation_id)
  WITH DISTINCT x
  DELETE x
}
RETURN collect(DISTINCT e.transformation_id) AS tids
