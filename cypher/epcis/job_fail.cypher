// A job whose document was refused or could not be written (nothing of it was).
MATCH (j:CaptureJob {id: $id})
WHERE j.status = 'running'
SET j.status = 'failed', j.finished = datetime(), j.errors = $errors
RETURN j.id AS id
