// How many jobs match the filters of jobs/list.
MATCH (j:Job)
WHERE ($status IS NULL OR j.status = $status) AND ($kind IS NULL OR j.kind = $kind)
RETURN count(j) AS total
