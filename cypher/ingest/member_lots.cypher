// The lots named in commissioning events' ILMD (one row per lot, before ingest/lot_members
// binds their serials): the lot, its expiry (the last one given wins, writer.Rows), its product.
UNWIND $rows AS r
MERGE (l:Lot {epc: r.lot})
ON CREATE SET l.gtin = r.gtin, l.lot = r.lot_number
SET l.expiry = coalesce(r.expiry, l.expiry)
MERGE (p:Product {gtin: r.gtin})
MERGE (l)-[:OF_PRODUCT]->(p)
