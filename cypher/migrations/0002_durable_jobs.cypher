// Release 0.2 (issue 18): capture jobs became durable Job nodes. A capture left 'running' by
// 0.1 has no Job that will ever write it: fail it with the reason, as 0.1 did after a restart.
// (No semicolons inside strings here: the file is split on them.)
MATCH (c:CaptureJob {status: 'running'})
WHERE NOT EXISTS { MATCH (:Job {id: c.id}) }
SET c.status = 'failed', c.finished = datetime(),
    c.errors = ['{"type": "epcisException:ImplementationException", "title": "Capture interrupted", "detail": "the service was upgraded before this document was committed: nothing of it was written, send it again", "field": null, "eventIndex": null}'];
