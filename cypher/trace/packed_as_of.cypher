// Fragment (included, never run alone; graph/queries.py `// include:`): the containers `c` that
// held item `i` as known at $as_of (packing chain `r`, up to 4 levels): a packing counts once its
// event had happened and been recorded (its `known`: ingest/pack, migration 0006); `ends`, each
// packing's end as known then (null, open, while its unpacking had not happened and been
// recorded: `end_known`) (trace/via_as_of, recall/where_as_of). A link an error declaration
// undid later is a WAS_IN copy, known until it was `retracted`; a reopened one is known `since`
// then (ingest/declare_errors).
MATCH (i) (()-[r:IN|WAS_IN WHERE r.known <= $as_of AND (r.since IS NULL OR r.since <= $as_of)
                               AND (r.retracted IS NULL OR r.retracted > $as_of)]->()){1,4} (c:Object)
WITH i, c, r, [x IN r | CASE WHEN x.end_known <= $as_of THEN x.end END] AS ends
