UNWIND $rows AS r
MERGE (p:Product {gtin: r.gtin})
SET p += r.props
WITH p, r
CALL (p, r) {
  WITH p, r WHERE r.manufacturer IS NOT NULL
  MERGE (m:Party {epc: r.manufacturer})
  MERGE (p)-[:MADE_BY]->(m)
}
