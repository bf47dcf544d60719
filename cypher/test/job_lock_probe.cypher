// Tests: take the job's write lock (so wait for any open transaction that wrote it, a worker's
// finishing one included, to commit or end) and read its state as committed.
MATCH (j:Job {id: $id})
SET j._probe = true
REMOVE j._probe
RETURN j.status AS status, j.owner AS owner
