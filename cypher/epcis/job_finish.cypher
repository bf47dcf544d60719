// Runs in the document's own transaction: 'success' commits with the data or not at all.
MATCH (j:CaptureJob {id: $id})
SET j.status = 'success', j.finished = datetime(), j.events_new = $events_new,
    j.events_skipped = $events_skipped, j.events_declared = $events_declared, j.noop = $noop
