// Packing (AggregationEvent ADD): the child is IN the parent from this time on.
UNWIND $rows AS r
MATCH (c:Object {epc: r.child})
MATCH (p:Object {epc: r.parent})
CREATE (c)-[:IN {start: datetime(r.time), start_event: r.event_id}]->(p)
