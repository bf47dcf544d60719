// The serials of the scoped lots (rules whose answer for an item depends on its lot).
UNWIND $epcs AS epc
MATCH (l:Lot {epc: epc})-[:HAS_ITEM]->(i:Item) USING INDEX l:Lot(epc)
RETURN collect(DISTINCT i.epc) AS items
