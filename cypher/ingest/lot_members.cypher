// Bind serials to the lot named in the commissioning event's ILMD (the lot exists:
// ingest/member_lots). Stored Lot→Item so recall traversals follow one direction. `events`
// lists the commissioning events that made the binding, so rules can skip a binding made only
// by events later declared erroneous (null on bindings stored before it was kept: unknown).
UNWIND $rows AS r
MATCH (i:Object {epc: r.item}) USING INDEX i:Object(epc)
MATCH (l:Lot {epc: r.lot}) USING INDEX l:Lot(epc)
MERGE (l)-[h:HAS_ITEM]->(i)
ON CREATE SET h.events = [r.event_id]
ON MATCH SET h.events = h.events + r.event_id
SET i.lot = r.lot
// a binding that closes a loop marks both ends, as ingest/genealogy does
WITH l, i
CALL (l, i) {
  WITH l, i WHERE EXISTS { MATCH shortestPath((i)-[:INTO|HAS_ITEM*1..{{max_depth}}]->(l)) }
  SET l:InCycle, i:InCycle
}
