MATCH (j:Job {id: $id})
RETURN j {.*, body: null, token: null} AS job
