// Serialized items (SGTIN): the item node and its product.
UNWIND $rows AS r
MERGE (o:Object {epc: r.epc})
ON CREATE SET o:Item, o.gtin = r.gtin, o.serial = r.serial, o._created_by = $token  // see ingest/lock_affected
MERGE (p:Product {gtin: r.gtin})
MERGE (o)-[:OF_PRODUCT]->(p)
