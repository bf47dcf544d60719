// Jobs, newest first, by status and kind (both optional).
MATCH (j:Job)
WHERE ($status IS NULL OR j.status = $status) AND ($kind IS NULL OR j.kind = $kind)
WITH j ORDER BY j.created DESC, j.id
SKIP $offset LIMIT $limit
RETURN j {.*, body: null, token: null} AS job
