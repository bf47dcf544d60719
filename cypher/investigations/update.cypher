// Change an investigation's own fields (title, owner, team, state, root cause, ...).
MATCH (i:Investigation {id: $id})
SET i += $changes, i.updated = $now
RETURN i.id AS id
