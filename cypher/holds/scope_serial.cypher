// A held serial, and (derived) everything made from it, through bounded genealogy.
MATCH (i:Object {epc: $target}) WHERE i:Item
OPTIONAL MATCH (i)-[:INTO|HAS_ITEM*1..{{max_depth}}]->(m)
WHERE $derived
WITH i, collect(DISTINCT m) AS made
RETURN [i.epc] + [m IN made WHERE m:Object | m.epc] AS objects, [m IN made WHERE m:Lot | m.epc] AS lots
