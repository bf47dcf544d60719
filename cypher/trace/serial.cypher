// One serialized item with its product, lot and the container holding it now.
MATCH (i:Object {epc: $epc}) WHERE i:Item
OPTIONAL MATCH (i)-[:OF_PRODUCT]->(p:Product)
OPTIONAL MATCH (l:Lot)-[:HAS_ITEM]->(i)
OPTIONAL MATCH (i)-[now:IN WHERE now.end IS NULL]->(c:Object)
RETURN i.epc AS epc, i.gtin AS gtin, i.serial AS serial, i.commissioned AS commissioned,
       p {.gtin, .name, .kind, .product_line, .device_class} AS product,
       l {.epc, .lot, .expiry, .manufactured} AS lot,
       c.epc AS container
