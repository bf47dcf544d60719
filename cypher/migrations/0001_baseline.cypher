// Release 0.1: the constraints and indexes of cypher/*/schema.cypher (applied before the
// numbered migrations on every start). Recorded so later versions know where a database starts.
RETURN 1;
