// Record a loaded document by content digest; `created` is false for a re-send.
MERGE (d:Document {digest: $digest})
ON CREATE SET d.source = $source, d.loaded_at = datetime(), d.events = $events, d._new = true
WITH d, coalesce(d._new, false) AS created
REMOVE d._new
RETURN created
