// Data nodes and relationships (the schema's own migration records are not data: restore
// goes into a database that `db migrate` has already stamped).
CALL () { MATCH (n) WHERE NOT n:SchemaMigration RETURN count(n) AS nodes }
CALL () { MATCH ()-[r]->() RETURN count(r) AS relationships }
RETURN nodes, relationships
