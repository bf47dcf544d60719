// Bind serials to the lot named in the commissioning event's ILMD.
// Stored Lot→Item so recall traversals follow one direction.
UNWIND $rows AS r
MATCH (i:Object {epc: r.item})
MERGE (l:Lot {epc: r.lot})
ON CREATE SET l.gtin = r.gtin, l.lot = r.lot_number
MERGE (l)-[:HAS_ITEM]->(i)
SET i.lot = r.lot, l.expiry = coalesce(r.expiry, l.expiry)
WITH l, r
MERGE (p:Product {gtin: r.gtin})
MERGE (l)-[:OF_PRODUCT]->(p)
