// Load test input (tracegraph bench load): finished-goods lots, smallest first, so a recall
// scope in the mix is the size a real one starts at rather than the biggest raw-material lot.
MATCH (l:Lot)-[:HAS_ITEM]->(i:Item)
WITH l, count(i) AS serials
ORDER BY serials, l.epc
LIMIT $limit
RETURN l.epc AS lot, serials
