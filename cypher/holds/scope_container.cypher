// A held container and what is inside it now (open packing intervals, up to 4 levels).
MATCH (c:Object {epc: $target})
OPTIONAL MATCH (c)<-[r:IN*1..4]-(o:Object)
WHERE all(x IN r WHERE x.end IS NULL)
WITH c, collect(DISTINCT o.epc) AS inside
RETURN [c.epc] + inside AS objects, [] AS lots
