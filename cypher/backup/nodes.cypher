MATCH (n)
WHERE NOT n:SchemaMigration  // schema bookkeeping, re-made by `db migrate`, not data
RETURN elementId(n) AS id, labels(n) AS labels, properties(n) AS props
