// Delete all data, keep constraints and indexes. Batched so big graphs fit in memory.
MATCH (n)
CALL (n) {
  DETACH DELETE n
} IN TRANSACTIONS OF 10000 ROWS
