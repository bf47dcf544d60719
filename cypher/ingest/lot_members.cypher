// Bind serials to the lot named in the commissioning event's ILMD.
// Stored Lot→Item so recall traversals follow one direction. `events` lists the
// commissioning events that made the binding, so rules can skip a binding made only by
// events later declared erroneous (null on bindings stored before it was kept: unknown).
UNWIND $rows AS r
MATCH (i:Object {epc: r.item}) USING INDEX i:Object(epc)
MERGE (l:Lot {epc: r.lot})
ON CREATE SET l.gtin = r.gtin, l.lot = r.lot_number
MERGE (l)-[h:HAS_ITEM]->(i)
ON CREATE SET h.events = [r.event_id]
ON MATCH SET h.events = h.events + r.event_id
SET i.lot = r.lot, l.expiry = coalesce(r.expiry, l.expiry)
// a binding that closes a loop marks both ends, as ingest/genealogy does
WITH l, i, r
CALL (l, i) {
  WITH l, i WHERE EXISTS { MATCH shortestPath((i)-[:INTO|HAS_ITEM*1..{{max_depth}}]->(l)) }
  SET l:InCycle, i:InCycle
}
WITH l, r
MERGE (p:Product {gtin: r.gtin})
MERGE (l)-[:OF_PRODUCT]->(p)
