// Active holds covering each object (itself, or a container it is in now) or lot.
UNWIND $epcs AS epc
CALL (epc) {
  MATCH (o:Object {epc: epc})-[r:IN*0..4]->(x:Object)<-[:HOLDS]-(h:Hold) USING INDEX o:Object(epc)
  WHERE h.released IS NULL AND all(y IN r WHERE y.end IS NULL)
  RETURN h
  UNION
  MATCH (l:Lot {epc: epc})<-[:HOLDS]-(h:Hold) USING INDEX l:Lot(epc) WHERE h.released IS NULL
  RETURN h
}
RETURN epc, collect(DISTINCT h.id) AS holds
