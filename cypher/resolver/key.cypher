// What a Digital Link resolver needs about a lot (Lot by class EPC) or a container (SSCC
// Object): that it exists, the saved recall scopes holding it (or, for a lot or container,
// any of its serials), active holds, and for $party whether that party shipped, received or
// holds it (an event that saw it, or one of its serials, at or to/from the party's sites).
OPTIONAL MATCH (l:Lot {epc: $epc})
OPTIONAL MATCH (o:Object {epc: $epc})
WITH coalesce(l, o) AS n
WHERE n IS NOT NULL
WITH n, CASE WHEN n:Lot THEN COLLECT { MATCH (n)-[:HAS_ITEM]->(i:Item) RETURN i LIMIT 100000 }
             ELSE COLLECT { MATCH (i:Object)-[:IN*0..4]->(n) RETURN DISTINCT i LIMIT 100000 } END AS members
RETURN n.epc AS epc, n:Lot AS lot, n.gtin AS gtin,
  COLLECT { UNWIND members AS i MATCH (rs:RecallScope)-[:INCLUDES]->(i) RETURN DISTINCT rs.id } AS scopes,
  EXISTS { MATCH (h:Hold)-[:HOLDS]->(n) WHERE h.released IS NULL } AS on_hold,
  CASE WHEN $party IS NULL THEN null ELSE any(i IN members WHERE EXISTS {
    MATCH (i)-[:IN*0..4]->(:Object)<-[:OBSERVED]-(f:Event)
    WHERE EXISTS { (f)-[:SHIPMENT]->(:Party {epc: $party}) }
       OR EXISTS { (f)-[:SHIPMENT]->(:Site)-[:OPERATED_BY]->(:Party {epc: $party}) }
       OR EXISTS { (f)-[:AT]->(:Site)-[:OPERATED_BY]->(:Party {epc: $party}) } }) END AS holder
