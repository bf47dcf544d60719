// Objects named by a URI we do not read as an EPC (kept as given, see normalize.opaque_allowed).
UNWIND $rows AS r
MERGE (o:Object {epc: r.epc})
ON CREATE SET o.scheme = 'uri', o._created_by = $token  // see ingest/lock_affected
