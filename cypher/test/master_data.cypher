MATCH (s:Site {epc: $site})-[:OPERATED_BY]->(p:Party)
MATCH (prod:Product {gtin: $gtin})
RETURN s.name AS site, s.site_type AS site_type, p.name AS owner, prod.name AS product, prod.kind AS kind
