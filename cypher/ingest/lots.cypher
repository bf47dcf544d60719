// Lots (LGTIN classes, or class URIs kept as given) and their product when known.
UNWIND $rows AS r
MERGE (l:Lot {epc: r.epc})
ON CREATE SET l.gtin = r.gtin, l.lot = r.lot
WITH l, r WHERE r.gtin IS NOT NULL
MERGE (p:Product {gtin: r.gtin})
MERGE (l)-[:OF_PRODUCT]->(p)
