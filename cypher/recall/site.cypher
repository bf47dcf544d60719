// Fragment (included, never run alone; graph/queries.py `// include:`): the master data of the
// site `epc` and of the party operating it (address, contact, channel), as one map `site`;
// no row for an unknown site (recall/sites, recall/fast_scope).
MATCH (s:Site {epc: epc}) USING INDEX s:Site(epc)
OPTIONAL MATCH (s)-[:OPERATED_BY]->(p:Party)
WITH s {.epc, .name, .site_type, .region, street: s.street_address_one, .city, .postal_code, .country_code,
        party: p {.epc, .name, .role, .channel, .region, .contact}} AS site
