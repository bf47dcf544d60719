// For `tracegraph recall demo-seed`: a finished-goods lot with shipped serials (the
// smallest with at least $least, so the demo campaign stays readable).
MATCH (l:Lot)-[:HAS_ITEM]->(i:Item)
WHERE size(coalesce(i.state_ship_ms, [])) > 1
WITH l, count(i) AS shipped
WHERE shipped >= $least
RETURN l.epc AS lot, shipped
ORDER BY shipped, lot
LIMIT 1
