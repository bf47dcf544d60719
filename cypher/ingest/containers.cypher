// Containers and returnable assets (SSCC, GRAI, GIAI).
UNWIND $rows AS r
MERGE (o:Object {epc: r.epc})
ON CREATE SET o:Container, o.scheme = r.scheme, o._created_by = $token  // see ingest/lock_affected
