// An investigation a campaign may link to (issue 14 section 1).
MATCH (i:Investigation {id: $id})
RETURN i.id AS id
