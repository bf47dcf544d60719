// Names of every index (graph.schema.migrate skips the statements of those present).
SHOW INDEXES YIELD name
RETURN collect(name) AS names
