// Per serial: product, lot and the container that held it at $as_of (now if null).
UNWIND $epcs AS epc
MATCH (i:Object {epc: epc}) USING INDEX i:Object(epc) WHERE i:Item
// include: recall/detail
RETURN epc, gtin, product, product_line, lot, container
