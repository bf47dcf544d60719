// Packing (AggregationEvent ADD): the child is IN the parent from this time on; `known`, when the
// packing had happened and been recorded (the later of the two: trace/packed_as_of).
UNWIND $rows AS r
MATCH (c:Object {epc: r.child}) USING INDEX c:Object(epc)
MATCH (p:Object {epc: r.parent}) USING INDEX p:Object(epc)
CREATE (c)-[:IN {start: datetime(r.time), start_event: r.event_id, known: datetime(r.known)}]->(p)
