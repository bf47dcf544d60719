// A failed attempt: queued again after the backoff, or failed (not retryable) or dead
// (attempts spent: the dead-letter state, kept for inspection).
MATCH (j:Job {id: $id})
WHERE j.status = 'running' AND j.token = $token
WITH j, CASE WHEN $permanent THEN 'failed' WHEN j.attempts >= j.max_attempts THEN 'dead' ELSE 'queued' END AS next
SET j.status = next, j.error = $error, j.owner = null, j.token = null, j.lease_until = null,
    j.run_at = CASE WHEN next = 'queued' THEN timestamp() + $backoff_ms ELSE j.run_at END,
    j.finished = CASE WHEN next = 'queued' THEN null ELSE timestamp() END
RETURN j.id AS id, next AS status
