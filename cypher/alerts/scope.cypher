// What new events can change rule answers for: the objects and lots they named,
// everything ever packed inside a named container (its history moved with it),
// and the lots of items they commissioned (a commissioning may set the lot's expiry).
// Also given events a document declared erroneous: they keep their OBSERVED edges.
// The writer stores the same scope with the rules it owes (alerts/scope_lots); this serves
// owed records that came without one.
UNWIND $events AS id
MATCH (e:Event {event_id: id}) USING INDEX e:Event(event_id)
CALL (e) {
  MATCH (e)-[:OBSERVED]->(o:Object) RETURN o AS x
  UNION
  MATCH (e)-[:OBSERVED_CLASS]->(l:Lot) RETURN l AS x
  UNION
  MATCH (e)-[:OBSERVED]->(:Item)<-[:HAS_ITEM]-(l:Lot)
  WHERE e.type = 'TransformationEvent' OR e.action = 'ADD' OR e.biz_step = 'commissioning'
  RETURN l AS x
}
WITH DISTINCT x
CALL (x) {
  RETURN x.epc AS epc
  UNION
  MATCH (x)<-[:IN*1..4]-(o:Object) RETURN o.epc AS epc
}
RETURN collect(DISTINCT epc) AS epcs
