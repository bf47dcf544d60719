// Link a hold to what it holds, one batch at a time.
MATCH (h:Hold {id: $id})
CALL (h) {
  UNWIND $objects AS epc
  MATCH (o:Object {epc: epc}) USING INDEX o:Object(epc)
  CREATE (h)-[:HOLDS]->(o)
  RETURN count(o) AS objects, count(CASE WHEN o:Item THEN 1 END) AS items
}
CALL (h) {
  UNWIND $lots AS epc
  MATCH (l:Lot {epc: epc}) USING INDEX l:Lot(epc)
  CREATE (h)-[:HOLDS]->(l)
  RETURN count(l) AS lots
}
SET h.objects = h.objects + objects, h.items = h.items + items
