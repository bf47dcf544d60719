// One breadth-first step downstream: what each frontier node went into, and a lot's items.
UNWIND $ids AS id
MATCH (n) WHERE elementId(n) = id
MATCH (n)-[r:INTO|HAS_ITEM]->(m)
RETURN id AS src, elementId(m) AS dst, type(r) AS type, r.transformation_id AS transformation_id,
       r.time AS time, r.quantity AS quantity
