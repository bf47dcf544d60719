// After a delivery attempt: results up to $until were sent (the next run asks for later
// record times); $status and $error say how the attempt went ($error null when it was sent).
MATCH (s:EpcisSubscription {id: $id})
SET s.last_run = datetime(), s.since = CASE WHEN $until IS NULL THEN s.since ELSE datetime($until) END,
    s.runs = coalesce(s.runs, 0) + 1, s.last_status = $status, s.last_error = $error, s.last_job = $job
