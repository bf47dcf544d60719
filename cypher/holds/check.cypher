// Shipping events about to be written: which named objects (or what is packed inside
// them now), lots, or ship-from sites an active hold covers.
// No active hold (the usual case): stop before expanding any container's contents.
CALL () { MATCH (h:Hold) WHERE h.released IS NULL RETURN count(h) AS active }
WITH active WHERE active > 0
UNWIND $rows AS r
CALL (r) {
  UNWIND r.epcs AS epc
  MATCH (o:Object {epc: epc})<-[x:IN*0..4]-(held:Object)<-[:HOLDS]-(h:Hold) USING INDEX o:Object(epc)
  WHERE h.released IS NULL AND all(y IN x WHERE y.end IS NULL)
  RETURN held.epc AS held, h
  UNION
  UNWIND r.epcs AS epc
  MATCH (l:Lot {epc: epc})<-[:HOLDS]-(h:Hold) USING INDEX l:Lot(epc) WHERE h.released IS NULL
  RETURN l.epc AS held, h
  UNION
  MATCH (h:Hold {kind: 'site', target: r.site}) WHERE h.released IS NULL
  UNWIND r.epcs AS held
  RETURN held, h
}
RETURN r.event_id AS event_id, held, h.id AS hold, h.policy AS policy
ORDER BY held, hold
