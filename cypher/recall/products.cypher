UNWIND $gtins AS gtin
MATCH (p:Product {gtin: gtin}) USING INDEX p:Product(gtin)
RETURN p.gtin AS gtin, p.name AS name, p.product_line AS product_line
