// A named query; `created` is false when the name is taken (the constraint keeps it unique).
MERGE (q:EpcisQuery {name: $query_name})
ON CREATE SET q.query = $query, q.owner = $owner, q.party = $party, q.created = datetime(), q._new = true
WITH q, coalesce(q._new, false) AS created
REMOVE q._new
RETURN created
