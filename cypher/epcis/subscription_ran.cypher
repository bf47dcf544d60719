// After a run: results up to $until were sent (the next run asks for later record times).
MATCH (s:EpcisSubscription {id: $id})
SET s.last_run = datetime(), s.since = CASE WHEN $until IS NULL THEN s.since ELSE datetime($until) END,
    s.runs = coalesce(s.runs, 0) + 1, s.last_status = $status
