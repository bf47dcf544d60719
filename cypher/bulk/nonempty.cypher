// Is there data a bulk load would overwrite? Anything but the schema's own bookkeeping
// (SchemaMigration, which `graph.schema.migrate` records again after the import).
MATCH (n)
WHERE NOT n:SchemaMigration
RETURN labels(n) AS labels
LIMIT 1
