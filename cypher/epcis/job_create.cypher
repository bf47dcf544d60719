// A capture job, acknowledged to the client before its document is written.
MERGE (j:CaptureJob {id: $id})
ON CREATE SET j.status = 'running', j.created = datetime(), j.source = $source, j.digest = $digest,
              j.events = $events, j.errors = []
RETURN j.id AS id
