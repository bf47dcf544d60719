// One notice per consignee site, with exactly its affected serials (a snapshot).
UNWIND $rows AS r
MATCH (c:RecallCampaign {id: $id})
MATCH (s:Site {epc: r.site}) USING INDEX s:Site(epc)
CREATE (n:RecallNotice {id: r.id, campaign: $id, site: r.site, party: r.party, site_name: r.site_name,
                        party_name: r.party_name, region: r.region, contact: r.contact, address: r.address,
                        country_code: r.country_code, serials: r.serials, lines: r.lines, quantity: r.quantity,
                        direct: r.direct, state: 'draft', created: datetime($now)})
CREATE (c)-[:HAS_NOTICE]->(n)
CREATE (n)-[:TO]->(s)
