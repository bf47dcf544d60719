// Load test input (tracegraph bench load): sites of one party where serials were commissioned,
// for the capture documents the load test sends (new serials of the party's products,
// commissioned at its own site, so the party's partner key may verify them afterwards).
MATCH (e:Event {biz_step: 'commissioning'})-[:AT]->(s:Site)-[:OPERATED_BY]->(:Party {epc: $party})
RETURN DISTINCT s.epc AS site
ORDER BY site
LIMIT $limit
