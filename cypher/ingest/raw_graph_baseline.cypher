// Benchmark baseline only (tracegraph bench ingest): the least a GRAPH loader can do with an
// event: its node, and one relationship to each object it names (MERGEd on the
// constrained key, as any loader must to find the object again). No validation, no lots,
// packing, genealogy or state: a lower bound for any graph of the same events.
UNWIND $rows AS r
CREATE (e:Event {event_id: r.event_id, type: r.type, time: r.time, raw: r.raw})
WITH e, r
UNWIND r.objects AS o
MERGE (x:Object {epc: o.epc})
CREATE (e)-[:OBSERVED {role: o.role}]->(x)
