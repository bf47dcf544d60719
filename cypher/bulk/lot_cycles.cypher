// Lot bindings that close a loop mark both ends InCycle, as ingest/lot_members does per binding.
// A loop through a binding leaves its item by INTO (items have no other outgoing link it follows).
MATCH (i:Item)-[:INTO]->()
WITH DISTINCT i
MATCH (l:Lot)-[:HAS_ITEM]->(i)
WHERE EXISTS { MATCH shortestPath((i)-[:INTO|HAS_ITEM*1..32]->(l)) }
SET l:InCycle, i:InCycle
