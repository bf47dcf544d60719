// Before a run is queued: take the subscription's write lock first (SET), so schedulers in
// several processes take turns, then read under it the watermark, the latest scheduled
// moment queued and the state of the delivery job queued last.
MATCH (s:EpcisSubscription {id: $id})
SET s._lock = true
REMOVE s._lock
WITH s
OPTIONAL MATCH (j:Job {id: s.pending_job})
RETURN s.since AS since, s.scheduled_at AS scheduled_at, s.pending_job AS pending_job, j.status AS pending
