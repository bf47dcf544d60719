// Change a CAPA's own fields (e.g. when its effectiveness check started).
MATCH (c:Capa {id: $id})
SET c += $changes, c.updated = $now
RETURN c.id AS id
