// Events recorded since the campaign opened that name each serial, directly or inside
// a container open at the event's time: [direct, type, action, biz step, disposition,
// destination sites]. The service tells returns and destructions from them.
UNWIND $epcs AS epc
MATCH (i:Object {epc: epc}) USING INDEX i:Object(epc)
CALL (i) {
  MATCH (i)<-[o:OBSERVED]-(e:Event)
  WHERE e.recorded >= $since AND NOT coalesce(e.error_declared, false)
  RETURN e, o.role = 'epc' AS direct
  UNION
  MATCH (i) (()-[r:IN]->()){1,4} (:Object)<-[:OBSERVED]-(e:Event)
  WHERE e.recorded >= $since AND NOT coalesce(e.error_declared, false)
    AND all(x IN r WHERE x.start <= e.time AND (x.end IS NULL OR e.time <= x.end))
  RETURN e, false AS direct
}
WITH epc, e, direct ORDER BY e.time, e.seq
RETURN epc, collect([direct, e.type, e.action, e.biz_step, e.disposition, coalesce(e.destinations, [])]) AS events
