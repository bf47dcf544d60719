// The values of one top-level resource (/epcis/eventTypes, /epcs, /bizSteps, /bizLocations,
// /readPoints, /dispositions) over the events the caller may see ($party: a partner's), in
// order after $after, for paging.
MATCH (e:Event)
WHERE $party IS NULL OR EXISTS {
        MATCH (e)-[:OBSERVED]->(:Object)-[:IN*0..4]->(:Object)<-[:OBSERVED]-(f:Event)
        WHERE EXISTS { (f)-[:SHIPMENT]->(:Party {epc: $party}) }
           OR EXISTS { (f)-[:SHIPMENT]->(:Site)-[:OPERATED_BY]->(:Party {epc: $party}) }
           OR EXISTS { (f)-[:AT]->(:Site)-[:OPERATED_BY]->(:Party {epc: $party}) } }
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
