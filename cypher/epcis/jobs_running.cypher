MATCH (j:CaptureJob {status: 'running'})
RETURN collect(j.id) AS ids
