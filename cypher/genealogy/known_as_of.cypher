// Fragment (included, never run alone; graph/queries.py `// include:`): a predicate, true when
// genealogy link `r` was known at $as_of (always when $as_of is null): the event that made it had
// happened and been recorded by then, its `known` (a lot binding: the first of its commissioning
// events; ingest/genealogy, ingest/lot_members, migration 0006) (genealogy/links_columns_*, the
// closure's links as of). A link an error declaration undid is a WAS_INTO copy
// (ingest/declare_errors): not a link now; as of a moment, one until it was `retracted`.
($as_of IS NULL AND type(r) <> 'WAS_INTO' OR
 // include: genealogy/known_then
)
