// Bind serials to the lot named in the commissioning event's ILMD (the lot exists:
// ingest/member_lots). Stored Lot→Item so recall traversals follow one direction. `events`
// lists the commissioning events that made the binding, so rules can skip a binding made only
// by events later declared erroneous (null on bindings stored before it was kept: unknown).
// `known`: when the first of them had happened and been recorded (genealogy/known_as_of).
UNWIND $rows AS r
MATCH (i:Object {epc: r.item}) USING INDEX i:Object(epc)
MATCH (l:Lot {epc: r.lot}) USING INDEX l:Lot(epc)
MERGE (l)-[h:HAS_ITEM]->(i)
ON CREATE SET h.events = [r.event_id], h.known = datetime(r.known)
ON MATCH SET h.events = h.events + r.event_id,
             h.known = CASE WHEN h.known <= datetime(r.known) THEN h.known ELSE datetime(r.known) END
SET i.lot = r.lot
// a binding that closes a loop marks both ends, as ingest/genealogy does
WITH l, i
CALL (l, i) {
  WITH l, i WHERE EXISTS { MATCH shortestPath((i)-[:INTO|HAS_ITEM*1..{{max_depth}}]->(l)) }
  SET l:InCycle, i:InCycle
}
