// Take the next due job: queued and due, or running with an expired lease (its worker died).
// The write lock is taken first (SET), then the job is checked again under it, so two
// workers never both take one job; the loser gets no row and looks again.
MATCH (j:Job)
WHERE j.status IN ['queued', 'running'] AND j.run_at <= timestamp()
  AND (j.status = 'queued' OR j.lease_until <= timestamp())
  AND ($kinds IS NULL OR j.kind IN $kinds)
WITH j ORDER BY j.run_at, j.created, j.id LIMIT 1
SET j._lock = true
REMOVE j._lock
WITH j
WHERE j.run_at <= timestamp() AND (j.status = 'queued' OR (j.status = 'running' AND j.lease_until <= timestamp()))
WITH j, j.status = 'running' AS orphan
SET j.orphaned = j.orphaned + CASE WHEN orphan THEN 1 ELSE 0 END, j.status = 'running', j.owner = $owner,
    j.token = $token, j.attempts = j.attempts + 1, j.started = timestamp(),
    j.lease_until = timestamp() + $lease_ms
RETURN j {.*} AS job, orphan
