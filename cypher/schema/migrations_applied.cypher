// Versions of the numbered migrations (cypher/migrations/) this database has had.
MATCH (m:SchemaMigration)
RETURN m.version AS version, m.name AS name, m.applied AS applied
ORDER BY m.version
