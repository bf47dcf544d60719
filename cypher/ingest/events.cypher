// Events are immutable: created once (new IDs only), never updated. Their places and
// parties exist already (ingest/event_places), so MATCH, not MERGE (no Eager barriers). Each event row
// carries what it touched, so its relationships are made here without looking the
// event up again (the lookups of nodes made in the same transaction were the cost).
// Properties and labels are spelled out (no `SET e = map`, no dynamic label): either makes
// the planner add Eager barriers against every other read in the query. Times arrive as
// ISO strings (see writer._iso). The q_* lists are the EPCIS query facets (epcis_query/facets.py).
// An empty list (destinations, facets) comes as null: no property, as the bulk importer stores it.
UNWIND $rows AS r
WITH r, r.props AS p
CREATE (e:Event {event_id: p.event_id, type: p.type, time: datetime(p.time), time_offset: p.time_offset,
                 action: p.action, biz_step: p.biz_step, disposition: p.disposition, read_point: p.read_point,
                 biz_location: p.biz_location, destinations: p.destinations,
                 transformation_id: p.transformation_id, recorded: datetime(p.recorded), seq: p.seq, raw: p.raw,
                 context: p.context, has_cert_info: p.has_cert_info,
                 q_keys: p.q_keys, q_str: p.q_str, q_nk: p.q_nk, q_nv: p.q_nv})
FOREACH (_ IN CASE WHEN p.type = 'ObjectEvent' THEN [1] ELSE [] END | SET e:ObjectEvent)
FOREACH (_ IN CASE WHEN p.type = 'AggregationEvent' THEN [1] ELSE [] END | SET e:AggregationEvent)
FOREACH (_ IN CASE WHEN p.type = 'TransformationEvent' THEN [1] ELSE [] END | SET e:TransformationEvent)
FOREACH (_ IN CASE WHEN p.type = 'AssociationEvent' THEN [1] ELSE [] END | SET e:AssociationEvent)
FOREACH (_ IN CASE WHEN p.type = 'TransactionEvent' THEN [1] ELSE [] END | SET e:TransactionEvent)
// an inspection or a certificate-carrying event (writer.is_check): genealogy/details finds them by it
FOREACH (_ IN CASE WHEN r.check THEN [1] ELSE [] END | SET e:Check)
WITH e, r
CALL (e, r) {
  WITH e, r WHERE r.props.biz_location IS NOT NULL
  MATCH (s:Site {epc: r.props.biz_location}) USING INDEX s:Site(epc)
  CREATE (e)-[:AT]->(s)
}
CALL (e, r) {
  UNWIND r.touches AS t
  MATCH (o:Object {epc: t.epc}) USING INDEX o:Object(epc)
  CREATE (e)-[:OBSERVED {role: t.role}]->(o)
  // the making event (writer.making_roles): the earliest, ties to the smaller event id
  FOREACH (_ IN CASE WHEN t.makes AND (o.made_time IS NULL OR e.time < o.made_time OR
                                      (e.time = o.made_time AND e.event_id < o.made_event)) THEN [1] ELSE [] END |
    SET o.made_time = e.time, o.made_event = e.event_id)
  WITH e, o, t WHERE t.commissions AND (o.commissioned IS NULL OR e.time < o.commissioned)
  SET o.commissioned = e.time
}
CALL (e, r) {
  UNWIND r.classes AS t
  CALL (t) {
    WITH t WHERE t.is_lot
    MATCH (l:Lot {epc: t.epc}) USING INDEX l:Lot(epc) RETURN l AS c
    UNION
    WITH t WHERE NOT t.is_lot
    MATCH (p:Product {gtin: t.gtin}) USING INDEX p:Product(gtin) RETURN p AS c
  }
  CREATE (e)-[:OBSERVED_CLASS {role: t.role, quantity: t.quantity, uom: t.uom}]->(c)
  FOREACH (_ IN CASE WHEN t.makes AND c:Lot AND (c.made_time IS NULL OR e.time < c.made_time OR
                                                (e.time = c.made_time AND e.event_id < c.made_event)) THEN [1] ELSE [] END |
    SET c.made_time = e.time, c.made_event = e.event_id)
  WITH e, c, t WHERE t.commissions AND c:Lot AND (c.manufactured IS NULL OR e.time < c.manufactured)
  SET c.manufactured = e.time
}
CALL (e, r) {
  UNWIND r.shipments AS t
  CALL (e, t) {
    WITH e, t WHERE t.is_site
    MATCH (s:Site {epc: t.epc}) USING INDEX s:Site(epc)
    CREATE (e)-[:SHIPMENT {direction: t.direction, type: t.type}]->(s)
    UNION
    WITH e, t WHERE NOT t.is_site
    MATCH (p:Party {epc: t.epc}) USING INDEX p:Party(epc)
    CREATE (e)-[:SHIPMENT {direction: t.direction, type: t.type}]->(p)
  }
}
