// The latest moment an error declaration counts from (ingest/declare_errors `declared_at`), null
// for none: a state stored now answers as-of questions only after it (recalls/state.py `backfill`).
MATCH (e:Event) WHERE e.declared_at IS NOT NULL
RETURN max(e.declared_at) AS latest
