// Record a numbered migration as applied (MERGE: two processes migrating at once record it once).
MERGE (m:SchemaMigration {version: $version})
ON CREATE SET m.name = $migration, m.applied = datetime(), m.by = $by
RETURN m.version AS version
