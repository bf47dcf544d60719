// Fragment (included, never run alone; graph/queries.py `// include:`): a union branch of
// trace/seen and recall/where for an as-of read: the events `e` that saw item `i` through a
// container `c` that held it then (packing chain `r`, up to 4 levels), as known at $as_of
// (trace/packed_as_of: a packing counts once its event had happened and been recorded, an
// unpacking only then too, else the interval is open).
WITH i WHERE $as_of IS NOT NULL
// include: trace/packed_as_of
MATCH (c)<-[:OBSERVED]-(e:Event)
WHERE all(n IN range(0, size(r) - 1) WHERE r[n].start <= e.time AND (ends[n] IS NULL OR e.time <= ends[n]))
  AND e.time <= $as_of AND e.recorded <= $as_of AND
  // include: trace/counts_as_of
