// Extend a lease still held (same token); no row when the job was taken over.
MATCH (j:Job {id: $id})
WHERE j.status = 'running' AND j.token = $token
SET j.lease_until = timestamp() + $lease_ms
RETURN j.id AS id
