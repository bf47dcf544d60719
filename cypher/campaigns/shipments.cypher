// Every shipment of each serial, made by itself or inside containers (nested up to four
// deep, each packing interval open at the shipment's time), in time order, as
// [epoch ms, source site, destination sites, source owning parties, destination owning parties].
UNWIND $epcs AS epc
MATCH (i:Object {epc: epc}) USING INDEX i:Object(epc)
CALL (i) {
  MATCH (i)<-[:OBSERVED]-(e:Event)
  WHERE size(coalesce(e.destinations, [])) > 0 AND NOT coalesce(e.error_declared, false)
  RETURN e
  UNION
  MATCH (i) (()-[r:IN]->()){1,4} (:Object)<-[:OBSERVED]-(e:Event)
  WHERE size(coalesce(e.destinations, [])) > 0 AND NOT coalesce(e.error_declared, false)
    AND all(x IN r WHERE x.start <= e.time AND (x.end IS NULL OR e.time <= x.end))
  RETURN e
}
WITH epc, e ORDER BY e.time, e.seq
CALL (e) {
  OPTIONAL MATCH (e)-[s:SHIPMENT]->(p:Party)
  WHERE s.type = 'owning_party'
  RETURN [x IN collect([s.direction, p.epc]) WHERE x[0] = 'source' | x[1]] AS src,
         [x IN collect([s.direction, p.epc]) WHERE x[0] = 'destination' | x[1]] AS dst
}
WITH epc, collect([e.time.epochMillis, coalesce(e.biz_location, e.read_point, ''), e.destinations, src, dst]) AS trips
RETURN epc, trips
