// Jobs by kind and status (queue depth for /metrics); index-backed per status.
UNWIND ['queued', 'running', 'succeeded', 'failed', 'dead'] AS status
MATCH (j:Job {status: status})
RETURN j.kind AS kind, status, count(*) AS n
