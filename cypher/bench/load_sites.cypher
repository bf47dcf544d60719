// Load test input (tracegraph bench load): sites where serials were commissioned, for the
// capture documents the load test sends (new serials commissioned at a known site).
MATCH (e:Event {biz_step: 'commissioning'})-[:AT]->(s:Site)
RETURN DISTINCT s.epc AS site
ORDER BY site
LIMIT $limit
