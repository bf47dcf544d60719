// How many records there are, and what the head says.
OPTIONAL MATCH (h:AuditHead {id: 'chain'})
CALL () {
  MATCH (r:AuditRecord)
  RETURN count(r) AS records, count(r.seq) AS numbered
}
RETURN records, numbered, h.seq AS head_seq, h.hash AS head_hash
