MATCH (j:CaptureJob {id: $id})
RETURN j {.*} AS job
