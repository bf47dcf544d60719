// Source and destination lists: sites (SGLN) and parties (PGLN).
UNWIND $rows AS r
MATCH (e:Event {event_id: r.event_id})
CALL (e, r) {
  WITH e, r WHERE r.is_site
  MERGE (s:Site {epc: r.epc})
  CREATE (e)-[:SHIPMENT {direction: r.direction, type: r.type}]->(s)
  UNION
  WITH e, r WHERE NOT r.is_site
  MERGE (p:Party {epc: r.epc})
  CREATE (e)-[:SHIPMENT {direction: r.direction, type: r.type}]->(p)
}
