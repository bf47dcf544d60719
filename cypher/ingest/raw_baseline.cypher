// Benchmark baseline only (tracegraph bench ingest): the least a loader can do with an event.
UNWIND $rows AS r
CREATE (e:Event)
SET e = r
