MATCH (h:Hold {id: $id}) WHERE h.released IS NULL
SET h.released = $now, h.released_by = $actor, h.release_reason = $reason
RETURN h.id AS id
