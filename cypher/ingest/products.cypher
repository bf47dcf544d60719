// Products from EPCIS header master data, versioned like parties (see parties.cypher).
UNWIND $rows AS r
MERGE (p:Product {gtin: r.gtin})
WITH p, r, properties(p) AS before
SET p += r.props, p.manufacturer = coalesce(r.manufacturer, p.manufacturer)
WITH p, r, properties(p) AS after, before
CALL (p, r) {
  WITH p, r WHERE r.manufacturer IS NOT NULL
  MERGE (m:Party {epc: r.manufacturer})
  MERGE (p)-[:MADE_BY]->(m)
}
CALL (p, before, after) {
  WITH p, before, after WHERE before <> after OR NOT EXISTS { (p)-[:VERSION]->(:ProductVersion) }
  OPTIONAL MATCH (p)-[:VERSION]->(old:ProductVersion) WHERE old.valid_to IS NULL
  SET old.valid_to = datetime()
  CREATE (p)-[:VERSION]->(v:ProductVersion)
  SET v = after, v.valid_from = datetime(), v.changed_by = 'epcis-header'
}
