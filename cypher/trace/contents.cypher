// Every item that was ever inside a container, through up to 4 packing levels, as the
// start rows of a walk (tracegraph/genealogy/closure.py).
MATCH (c:Object {epc: $epc})<-[:IN*1..4]-(i:Item)
WITH DISTINCT i
RETURN elementId(i) AS id, i.epc AS epc, true AS item, false AS lot, i.lot AS of_lot, i.gtin AS gtin
