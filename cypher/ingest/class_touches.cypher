// Lot- or product-level quantities an event touched.
UNWIND $rows AS r
MATCH (e:Event {event_id: r.event_id})
CALL (r) {
  WITH r WHERE r.is_lot
  MATCH (l:Lot {epc: r.epc}) RETURN l AS c
  UNION
  WITH r WHERE NOT r.is_lot
  MATCH (p:Product {gtin: r.gtin}) RETURN p AS c
}
CREATE (e)-[:OBSERVED_CLASS {role: r.role, quantity: r.quantity, uom: r.uom}]->(c)
WITH c, r WHERE r.commissions AND c:Lot
SET c.manufactured = CASE WHEN c.manufactured IS NULL OR r.time < c.manufactured
                          THEN r.time ELSE c.manufactured END
