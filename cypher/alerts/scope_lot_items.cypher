// The serials of the scoped lots (rules whose answer for an item depends on its lot).
UNWIND $epcs AS epc
MATCH (:Lot {epc: epc})-[:HAS_ITEM]->(i:Item)
RETURN collect(DISTINCT i.epc) AS items
