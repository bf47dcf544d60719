// Parties from EPCIS header master data. Current attributes stay on the node for fast
// reads; every change adds a PartyVersion (the previous one is closed, never rewritten).
UNWIND $rows AS r
MERGE (p:Party {epc: r.epc})
WITH p, r, properties(p) AS before
SET p += r.props
WITH p, properties(p) AS after, before
CALL (p, before, after) {
  WITH p, before, after WHERE before <> after OR NOT EXISTS { (p)-[:VERSION]->(:PartyVersion) }
  OPTIONAL MATCH (p)-[:VERSION]->(old:PartyVersion) WHERE old.valid_to IS NULL
  SET old.valid_to = datetime()
  CREATE (p)-[:VERSION]->(v:PartyVersion)
  SET v = after, v.valid_from = datetime(), v.changed_by = 'epcis-header'
}
