// Fragment (included, never run alone; graph/queries.py `// include:`): the containers `c` that
// held item `i` as known at $as_of (packing chain `r`, up to 4 levels, each version known then:
// trace/version_known); `ends`, each packing's end as known then (null, open, while its unpacking
// had not happened and been recorded: `end_known`) (trace/via_as_of, recall/where_as_of).
MATCH (i) (()-[x:IN|WAS_IN WHERE
  // include: trace/version_known
]->()){1,4} (c:Object)
WITH i, c, x AS r, [v IN x | CASE WHEN v.end_known <= $as_of THEN v.end END] AS ends
