// Sites from EPCIS header master data, versioned like parties (see parties.cypher).
UNWIND $rows AS r
MERGE (s:Site {epc: r.epc})
WITH s, r, properties(s) AS before
SET s += r.props, s.owner = coalesce(r.owner, s.owner)
WITH s, r, properties(s) AS after, before
CALL (s, r) {
  WITH s, r WHERE r.owner IS NOT NULL AND NOT EXISTS { (s)-[:OPERATED_BY]->(:Party {epc: r.owner}) }
  OPTIONAL MATCH (s)-[old:OPERATED_BY]->(:Party)
  DELETE old
  MERGE (p:Party {epc: r.owner})
  MERGE (s)-[:OPERATED_BY]->(p)
}
CALL (s, r) {
  WITH s, r WHERE r.parent IS NOT NULL
  MERGE (parent:Site {epc: r.parent})
  MERGE (s)-[:PART_OF]->(parent)
}
CALL (s, before, after) {
  WITH s, before, after WHERE before <> after OR NOT EXISTS { (s)-[:VERSION]->(:SiteVersion) }
  OPTIONAL MATCH (s)-[:VERSION]->(old:SiteVersion) WHERE old.valid_to IS NULL
  SET old.valid_to = datetime()
  CREATE (s)-[:VERSION]->(v:SiteVersion)
  SET v = after, v.valid_from = datetime(), v.changed_by = 'epcis-header'
}
