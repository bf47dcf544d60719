// Fragment (included, never run alone; graph/queries.py `// include:`): a union branch of
// trace/seen and recall/where for an as-of read: the events `e` that saw item `i` through a
// container `c` that held it then (packing chain `r`, up to 4 levels), as known at $as_of: a
// packing counts once its event had happened and been recorded, an unpacking only then too (else
// the interval is open). Each chain's packing events are looked up once, not once per event seen.
WITH i WHERE $as_of IS NOT NULL
MATCH (i) (()-[r:IN]->()){1,4} (c:Object)
WHERE all(x IN r WHERE x.start <= $as_of AND
          (x.start_event IS NULL OR
           EXISTS { MATCH (k:Event {event_id: x.start_event}) WHERE k.time <= $as_of AND k.recorded <= $as_of }))
WITH c, r, [x IN r | CASE WHEN x.end_event IS NOT NULL AND NOT EXISTS {
                            MATCH (k:Event {event_id: x.end_event}) WHERE k.time <= $as_of AND k.recorded <= $as_of
                          } THEN null ELSE x.end END] AS ends
MATCH (c)<-[:OBSERVED]-(e:Event)
WHERE all(n IN range(0, size(r) - 1) WHERE r[n].start <= e.time AND (ends[n] IS NULL OR e.time <= ends[n]))
  AND e.time <= $as_of AND e.recorded <= $as_of AND NOT coalesce(e.error_declared, false)
