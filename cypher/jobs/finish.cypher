// Succeeded, in the job's own write transaction: no row (and so a rollback) unless this
// worker still holds the lease, so a job's effect commits once.
MATCH (j:Job {id: $id})
WHERE j.status = 'running' AND j.token = $token
SET j.status = 'succeeded', j.finished = timestamp(), j.result = $result, j.finished_by = j.owner, j.owner = null, j.token = null,
    j.lease_until = null, j.body = null
RETURN j.id AS id
