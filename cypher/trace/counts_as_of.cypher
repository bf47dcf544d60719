// Fragment (included, never run alone; graph/queries.py `// include:`): a predicate, true when
// event `e` counts as of $as_of (now, when null): not declared erroneous, or declared only later
// than then (the declaration had not been made and recorded by then: `declared_at`, set by
// ingest/declare_errors; a declaration stored before it was kept counts always).
(NOT coalesce(e.error_declared, false) OR $as_of IS NOT NULL AND e.declared_at > $as_of)
