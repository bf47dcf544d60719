// Take the write lock (held to commit) of each stored object a document names and of
// everything packed inside them at any time, in epc order so that two writers of the same
// items queue instead of deadlocking (see tracegraph/recalls/state.py for why this makes the
// stored state last-writer-correct). Objects not stored yet are not locked here: their
// MERGE (ingest/items) waits on the uniqueness lock of the writer creating them.
UNWIND $epcs AS epc
MATCH (o:Object {epc: epc}) USING INDEX o:Object(epc)
CALL (o) {
  RETURN o AS x
  UNION
  MATCH (o)<-[:IN*1..4]-(x:Object)
  RETURN x
}
WITH DISTINCT x
ORDER BY x.epc
SET x._lock = true
REMOVE x._lock
RETURN collect(x.epc) AS epcs
