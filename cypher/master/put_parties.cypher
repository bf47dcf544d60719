// Upsert parties master data (API / files). Managed fields are replaced (null removes one);
// a real change closes the open PartyVersion and adds a new one: history is never rewritten.
UNWIND $rows AS r
MERGE (n:Party {epc: r.key})
WITH n, r, properties(n) AS before
SET n += r.props
WITH n, r, before, properties(n) AS after
WITH n, r, before, after, before <> after OR NOT EXISTS { (n)-[:VERSION]->(:PartyVersion) } AS changed
CALL (n, after, changed) {
  WITH n, after, changed WHERE changed
  OPTIONAL MATCH (n)-[:VERSION]->(old:PartyVersion) WHERE old.valid_to IS NULL
  SET old.valid_to = $at
  CREATE (n)-[:VERSION]->(v:PartyVersion)
  SET v = after, v.valid_from = $at, v.changed_by = $actor, v.source = $source
}
RETURN r.key AS key, before, after, changed
