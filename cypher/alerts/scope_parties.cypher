// Consignee parties of shipping events that saw the scoped objects (or containers
// they were ever in) or lots: the parties whose volume history the scope touches
// (declared events included: declaring a shipment changes its consignee's volume).
// Each container's events are read once, not once per object packed in it.
CALL () {
  UNWIND $epcs AS epc
  MATCH (o:Object {epc: epc})-[:IN*0..4]->(c:Object) USING INDEX o:Object(epc)
  WITH DISTINCT c
  MATCH (c)<-[:OBSERVED]-(e:Event)
  RETURN e
  UNION
  UNWIND $epcs AS epc
  MATCH (l:Lot {epc: epc})<-[:OBSERVED_CLASS]-(e:Event) USING INDEX l:Lot(epc)
  RETURN e
}
WITH e WHERE e.biz_step = 'shipping'
CALL (e) {
  MATCH (e)-[:SHIPMENT {direction: 'destination'}]->(c:Party) RETURN c
  UNION
  MATCH (e)-[:SHIPMENT {direction: 'destination'}]->(:Site)-[:OPERATED_BY]->(c:Party) RETURN c
}
RETURN collect(DISTINCT c.epc) AS parties
