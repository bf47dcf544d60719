CREATE (u:User)
SET u = $props
RETURN u.name AS name
