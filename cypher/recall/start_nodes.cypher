// Start identifiers that are items, containers or lots, with their node ids.
UNWIND $epcs AS epc
CALL (epc) {
  MATCH (o:Object {epc: epc}) USING INDEX o:Object(epc) RETURN o AS n, CASE WHEN o:Item THEN 'item' ELSE 'container' END AS kind
  UNION
  MATCH (l:Lot {epc: epc}) USING INDEX l:Lot(epc) RETURN l AS n, 'lot' AS kind
}
RETURN epc, elementId(n) AS id, kind, n:Item AS item, CASE WHEN n:Item THEN n.lot END AS of_lot, n.gtin AS gtin
