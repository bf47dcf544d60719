// A held lot: its serials, and (derived) lots and serials made from it (bounded genealogy).
MATCH (l:Lot {epc: $target})
OPTIONAL MATCH (l)-[:HAS_ITEM]->(i:Item)
WITH l, collect(i) AS items
OPTIONAL MATCH (l)-[:INTO|HAS_ITEM*1..{{max_depth}}]->(m)
WHERE $derived
WITH l, items, collect(DISTINCT m) AS made
RETURN reduce(a = [], x IN items + [m IN made WHERE m:Object] | CASE WHEN x.epc IN a THEN a ELSE a + x.epc END)
         AS objects,
       [l.epc] + [m IN made WHERE m:Lot | m.epc] AS lots
