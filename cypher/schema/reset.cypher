// Delete all data, keep constraints and indexes. Relationships first, then nodes, each
// batched: a DETACH DELETE of a site or party with a million links in one batch
// exceeds the transaction memory limit.
MATCH ()-[r]->()
CALL (r) {
  DELETE r
} IN TRANSACTIONS OF 20000 ROWS;

MATCH (n)
CALL (n) {
  DELETE n
} IN TRANSACTIONS OF 20000 ROWS;
