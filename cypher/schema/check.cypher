// Names of the constraints that must exist for the service to be ready.
SHOW CONSTRAINTS YIELD name
WHERE name IN $names
RETURN collect(name) AS present
