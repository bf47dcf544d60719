// Tests only: sites operated by parties (with channels) and authorized trading
// relationships, in the shape the master-data work stores them.
UNWIND $sites AS s
MERGE (site:Site {epc: s.site})
MERGE (p:Party {epc: s.party})
SET p.channel = s.channel, p.region = s.region, site.site_type = s.site_type, site.region = s.region
MERGE (site)-[:OPERATED_BY]->(p)
WITH count(*) AS done
UNWIND $authorized AS a
MATCH (f:Party {epc: a.from_party}), (t:Party {epc: a.to_party}) USING INDEX f:Party(epc) USING INDEX t:Party(epc)
CREATE (f)-[:AUTHORIZED {products: a.products, channel: a.channel, valid_from: a.valid_from,
                         valid_to: a.valid_to}]->(t)
