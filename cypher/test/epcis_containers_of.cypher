// Containers that ever held an item (any packing interval, up to 4 levels).
MATCH (i:Object {epc: $epc})
OPTIONAL MATCH (i)-[:IN*1..4]->(c:Object)
RETURN collect(DISTINCT c.epc) AS containers
