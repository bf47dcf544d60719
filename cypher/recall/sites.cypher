// Master data of sites and the party operating each (address, contact, channel).
UNWIND $epcs AS epc
MATCH (s:Site {epc: epc}) USING INDEX s:Site(epc)
OPTIONAL MATCH (s)-[:OPERATED_BY]->(p:Party)
RETURN s.epc AS epc, s.name AS name, s.site_type AS site_type, s.region AS region,
       s.street_address_one AS street, s.city AS city, s.postal_code AS postal_code,
       s.country_code AS country_code,
       p {.epc, .name, .role, .channel, .region, .contact} AS party
