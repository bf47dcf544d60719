// Every serial and lot of a product, and (derived) what was made from them.
MATCH (p:Product {gtin: $target})
OPTIONAL MATCH (l:Lot)-[:OF_PRODUCT]->(p)
WITH p, collect(l) AS lots
OPTIONAL MATCH (i:Item)-[:OF_PRODUCT]->(p)
WITH p, lots, collect(i) AS items
CALL (lots, items) {
  UNWIND lots + items AS start
  MATCH (start)-[:INTO|HAS_ITEM*1..{{max_depth}}]->(m)
  WHERE $derived
  RETURN collect(DISTINCT m) AS made
}
RETURN [x IN items | x.epc] + [m IN made WHERE m:Object AND NOT m IN items | m.epc] AS objects,
       [x IN lots | x.epc] + [m IN made WHERE m:Lot AND NOT m IN lots | m.epc] AS lots
