// A capture job as release 0.1 left it when the service stopped mid-write (no durable Job).
CREATE (:CaptureJob {id: $id, status: 'running', created: datetime(), source: 'capture:' + $id, digest: 'x',
                     events: 1, errors: []})
