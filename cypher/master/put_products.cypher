// Upsert products master data (API / files). Managed fields are replaced (null removes one);
// a real change closes the open ProductVersion and adds a new one: history is never rewritten.
UNWIND $rows AS r
MERGE (n:Product {gtin: r.key})
WITH n, r, properties(n) AS before
SET n += r.props
WITH n, r, before, properties(n) AS after
WITH n, r, before, after, before <> after OR NOT EXISTS { (n)-[:VERSION]->(:ProductVersion) } AS changed
CALL (n, r) {
  WITH n, r WHERE r.props.manufacturer IS NOT NULL AND NOT EXISTS { (n)-[:MADE_BY]->(:Party {epc: r.props.manufacturer}) }
  OPTIONAL MATCH (n)-[old:MADE_BY]->(:Party)
  DELETE old
  MERGE (m:Party {epc: r.props.manufacturer})
  MERGE (n)-[:MADE_BY]->(m)
}
CALL (n, after, changed) {
  WITH n, after, changed WHERE changed
  OPTIONAL MATCH (n)-[:VERSION]->(old:ProductVersion) WHERE old.valid_to IS NULL
  SET old.valid_to = $at
  CREATE (n)-[:VERSION]->(v:ProductVersion)
  SET v = after, v.valid_from = $at, v.changed_by = $actor, v.source = $source
}
RETURN r.key AS key, before, after, changed
