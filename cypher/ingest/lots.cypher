// Lots (LGTIN classes) and their product.
UNWIND $rows AS r
MERGE (l:Lot {epc: r.epc})
ON CREATE SET l.gtin = r.gtin, l.lot = r.lot
MERGE (p:Product {gtin: r.gtin})
MERGE (l)-[:OF_PRODUCT]->(p)
