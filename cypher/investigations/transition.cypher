// Move an investigation from $from to $to (only if it is still in $from: concurrent moves lose).
MATCH (i:Investigation {id: $id}) WHERE i.state = $from
SET i.state = $to, i.updated = $now, i.closed = CASE WHEN $to = 'closed' THEN $now END
RETURN i.id AS id
