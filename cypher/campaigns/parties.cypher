// Master data of parties (the recalling firm, for reports).
UNWIND $epcs AS epc
MATCH (p:Party {epc: epc}) USING INDEX p:Party(epc)
RETURN p.epc AS epc, p.name AS name, p.role AS role, p.street_address_one AS street, p.city AS city,
       p.postal_code AS postal_code, p.country_code AS country_code, p.contact AS contact
