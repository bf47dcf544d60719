// Upsert sites master data (API / files). Managed fields are replaced (null removes one);
// a real change closes the open SiteVersion and adds a new one: history is never rewritten.
UNWIND $rows AS r
MERGE (n:Site {epc: r.key})
WITH n, r, properties(n) AS before
SET n += r.props
WITH n, r, before, properties(n) AS after
WITH n, r, before, after, before <> after OR NOT EXISTS { (n)-[:VERSION]->(:SiteVersion) } AS changed
CALL (n, r) {
  WITH n, r WHERE r.props.owner IS NOT NULL AND NOT EXISTS { (n)-[:OPERATED_BY]->(:Party {epc: r.props.owner}) }
  OPTIONAL MATCH (n)-[old:OPERATED_BY]->(:Party)
  DELETE old
  MERGE (p:Party {epc: r.props.owner})
  MERGE (n)-[:OPERATED_BY]->(p)
}
CALL (n, after, changed) {
  WITH n, after, changed WHERE changed
  OPTIONAL MATCH (n)-[:VERSION]->(old:SiteVersion) WHERE old.valid_to IS NULL
  SET old.valid_to = $at
  CREATE (n)-[:VERSION]->(v:SiteVersion)
  SET v = after, v.valid_from = $at, v.changed_by = $actor, v.source = $source
}
RETURN r.key AS key, before, after, changed
