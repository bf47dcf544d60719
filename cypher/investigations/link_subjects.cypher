// Link an investigation to its subjects (serial items, lots, sites, supplier parties), each
// found through its own label's unique key; returns the ones that exist.
MATCH (i:Investigation {id: $id})
UNWIND $rows AS r
CALL (i, r) {
  WITH i, r WHERE r.kind = 'serial'
  MATCH (n:Object {epc: r.epc}) WHERE n:Item
  MERGE (i)-[:CONCERNS {kind: r.kind}]->(n)
  RETURN n
  UNION
  WITH i, r WHERE r.kind = 'lot'
  MATCH (n:Lot {epc: r.epc})
  MERGE (i)-[:CONCERNS {kind: r.kind}]->(n)
  RETURN n
  UNION
  WITH i, r WHERE r.kind = 'site'
  MATCH (n:Site {epc: r.epc})
  MERGE (i)-[:CONCERNS {kind: r.kind}]->(n)
  RETURN n
  UNION
  WITH i, r WHERE r.kind = 'supplier'
  MATCH (n:Party {epc: r.epc})
  MERGE (i)-[:CONCERNS {kind: r.kind}]->(n)
  RETURN n
}
RETURN r.kind AS kind, r.epc AS epc
