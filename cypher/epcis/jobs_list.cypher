// Capture jobs, newest first (GET /epcis/capture).
MATCH (j:CaptureJob)
WHERE $after IS NULL OR j.created < datetime($after)
RETURN j {.*} AS job
ORDER BY j.created DESC
LIMIT $limit
