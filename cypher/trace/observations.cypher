// Every event that saw each item: directly, or through a container (up to 4
// levels) that held it at the event's time (all packing intervals cover it).
// An event seen several ways is listed once, through the innermost way.
UNWIND $epcs AS epc
MATCH (i:Object {epc: epc})
CALL (i) {
  MATCH (i)<-[:OBSERVED]-(e:Event)
  RETURN e, null AS via, 0 AS depth
  UNION
  MATCH (i) (()-[r:IN]->()){1,4} (c:Object)<-[:OBSERVED]-(e:Event)
  WHERE all(x IN r WHERE x.start <= e.time AND (x.end IS NULL OR e.time <= x.end))
  RETURN e, c.epc AS via, size(r) AS depth
}
WITH epc, i, e, via, depth ORDER BY depth
WITH epc, i, e, collect(via)[0] AS via, min(depth) AS depth
RETURN epc, e.event_id AS event_id, e.type AS type, e.time AS time, e.action AS action,
       e.biz_step AS biz_step, e.disposition AS disposition, e.biz_location AS biz_location,
       e.read_point AS read_point, e.destinations AS destinations, e.recorded AS recorded,
       e.seq AS seq, CASE WHEN depth = 0 THEN null ELSE via END AS via,
       exists { (e)-[:OBSERVED {role: 'epc'}]->(i) } AS direct_epc
ORDER BY epc, time, recorded, seq
