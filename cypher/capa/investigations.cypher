// Which of these investigation ids exist.
UNWIND $ids AS id
MATCH (i:Investigation {id: id})
RETURN i.id AS id
