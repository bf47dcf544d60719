// Identifiers worth showing a new user: the most-used input lot and a finished device.
OPTIONAL CALL () {
  MATCH (l:Lot)-[x:INTO]->()
  RETURN l.epc AS lot, count(x) AS uses ORDER BY uses DESC LIMIT 1
}
CALL () {
  MATCH (i:Item)-[:OF_PRODUCT]->(p:Product)
  RETURN i.epc AS serial ORDER BY CASE p.kind WHEN 'finished_good' THEN 0 ELSE 1 END, i.epc LIMIT 1
}
RETURN lot, serial
