// A new job (or the existing one with this id: enqueueing twice is one job). Times are the
// database's clock in epoch milliseconds, so every process compares leases on one clock.
MERGE (j:Job {id: $id})
ON CREATE SET j.kind = $kind, j.payload = $payload, j.body = $body, j.status = 'queued', j.attempts = 0,
              j.max_attempts = $max_attempts, j.created = timestamp(), j.run_at = timestamp() + $delay_ms,
              j.orphaned = 0
RETURN j.id AS id, j.status AS status
