// Fragment (included, never run alone; graph/queries.py `// include:`): the containers `c` that
// held item `i` as known at $as_of (packing chain `r`, up to 4 levels): a packing counts once its
// event had happened and been recorded; `ends`, each packing's end as known then (null, open,
// while its unpacking had not happened and been recorded). Each chain's packing events are looked
// up once, not once per event seen (trace/via_as_of, recall/where_as_of). A link an error
// declaration undid later is a WAS_IN copy, known until it was `retracted`; a reopened one is
// known `since` then (ingest/declare_errors).
MATCH (i) (()-[r:IN|WAS_IN]->()){1,4} (c:Object)
WHERE all(x IN r WHERE x.start <= $as_of AND
          (x.since IS NULL OR x.since <= $as_of) AND (x.retracted IS NULL OR x.retracted > $as_of) AND
          (x.start_event IS NULL OR
           EXISTS { MATCH (k:Event {event_id: x.start_event}) WHERE k.time <= $as_of AND k.recorded <= $as_of }))
WITH i, c, r, [x IN r | CASE WHEN x.end_event IS NOT NULL AND NOT EXISTS {
                               MATCH (k:Event {event_id: x.end_event}) WHERE k.time <= $as_of AND k.recorded <= $as_of
                             } THEN null ELSE x.end END] AS ends
