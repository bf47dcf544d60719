// Names of every constraint (graph.schema.migrate skips the statements of those present).
SHOW CONSTRAINTS YIELD name
RETURN collect(name) AS names
