// One delivery, if it is still to be tried.
MATCH (d:Delivery {id: $id})
WHERE d.state = 'pending'
RETURN d.id AS id, d.url AS url, d.payload AS payload, d.attempts AS attempts
