// Every item that was ever inside a container, through up to 4 packing levels.
MATCH (c:Object {epc: $epc})<-[:IN*1..4]-(i:Item)
RETURN collect(DISTINCT i.epc) AS items
