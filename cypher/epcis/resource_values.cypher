// The values of one top-level resource (/epcis/eventTypes, /epcs, /bizSteps, /bizLocations,
// /readPoints, /dispositions) over the events a partner may see, in order after $after, for
// paging. Starts at the party (index seek): the events at or shipping to/from its sites or
// itself, then every event about an object they handled or its contents.
MATCH (p:Party {epc: $party})
USING INDEX p:Party(epc)
CALL (p) {
  MATCH (f:Event)-[:SHIPMENT]->(p) RETURN f
  UNION
  MATCH (f:Event)-[:SHIPMENT]->(:Site)-[:OPERATED_BY]->(p) RETURN f
  UNION
  MATCH (f:Event)-[:AT]->(:Site)-[:OPERATED_BY]->(p) RETURN f
}
MATCH (f)-[:OBSERVED]->(:Object)<-[:IN*0..4]-(:Object)<-[:OBSERVED]-(e:Event)
WITH DISTINCT e
WITH e, CASE $kind
          WHEN 'eventTypes' THEN [e.type]
          WHEN 'bizSteps' THEN [e.biz_step]
          WHEN 'bizLocations' THEN [e.biz_location]
          WHEN 'readPoints' THEN [e.read_point]
          WHEN 'dispositions' THEN [e.disposition]
          ELSE COLLECT { MATCH (e)-[:OBSERVED]->(x:Object) RETURN x.epc }
        END AS values
UNWIND values AS value
WITH DISTINCT value
WHERE value IS NOT NULL AND ($after IS NULL OR value > $after)
RETURN value
ORDER BY value
LIMIT $limit
