// Fragment (included, never run alone; graph/queries.py `// include:`): a predicate, true when
// packing version `x` (an IN or WAS_IN link) was known at $as_of (not null): its event had
// happened and been recorded (`known`: ingest/pack, migration 0006), a reopened version from
// `since`, a version an error declaration undid until it was `retracted` (ingest/declare_errors)
// (trace/packed_as_of, recall/contents, recall/detail).
(x.known <= $as_of AND (x.since IS NULL OR x.since <= $as_of) AND (x.retracted IS NULL OR x.retracted > $as_of))
