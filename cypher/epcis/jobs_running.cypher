// Capture jobs left 'running' with no durable Job to finish them (from before durable jobs).
MATCH (j:CaptureJob {status: 'running'})
WHERE NOT EXISTS { MATCH (:Job {id: j.id}) }
RETURN collect(j.id) AS ids
