// Move a CAPA from $from to $to (only if it is still in $from: concurrent moves lose).
MATCH (c:Capa {id: $id}) WHERE c.state = $from
SET c.state = $to, c.updated = $now, c.closed = CASE WHEN $to = 'closed' THEN $now END
RETURN c.id AS id
