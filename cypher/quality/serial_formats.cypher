// Serial format regexes from product master data.
UNWIND $gtins AS gtin
MATCH (p:Product {gtin: gtin}) USING INDEX p:Product(gtin)
WHERE p.serial_format IS NOT NULL
RETURN gtin, p.serial_format AS serial_format
