// Active holds covering each object (itself, or a container it is in now) or lot.
UNWIND $epcs AS epc
CALL (epc) {
  MATCH (:Object {epc: epc})-[r:IN*0..4]->(x:Object)<-[:HOLDS]-(h:Hold)
  WHERE h.released IS NULL AND all(y IN r WHERE y.end IS NULL)
  RETURN h
  UNION
  MATCH (:Lot {epc: epc})<-[:HOLDS]-(h:Hold) WHERE h.released IS NULL
  RETURN h
}
RETURN epc, collect(DISTINCT h.id) AS holds
