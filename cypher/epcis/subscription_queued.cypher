// A delivery job was queued for this subscription (for a scheduled run: the moment it fired).
MATCH (s:EpcisSubscription {id: $id})
SET s.pending_job = $job,
    s.scheduled_at = CASE WHEN $moment IS NULL THEN s.scheduled_at ELSE datetime($moment) END
