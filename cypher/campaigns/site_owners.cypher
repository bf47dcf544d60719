// The operating party of each site, from master data.
UNWIND $epcs AS epc
MATCH (s:Site {epc: epc}) USING INDEX s:Site(epc)
OPTIONAL MATCH (s)-[:OPERATED_BY]->(p:Party)
RETURN s.epc AS site, p.epc AS party
