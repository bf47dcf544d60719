// The lots in alerts/scope: those the events named, and those of the items they commissioned
// or packed (a commissioning may set the lot's expiry). The writer adds them to the objects it
// locked (ingest/lock_affected: what the events named and everything packed inside), which
// is the rest of alerts/scope, so the rules pass need not walk it again (rules.service.defer).
// An item packed by several of the events is matched to its lots once.
UNWIND $events AS id
MATCH (e:Event {event_id: id}) USING INDEX e:Event(event_id)
WITH collect(e) AS events
CALL (events) {
  UNWIND events AS e
  MATCH (e)-[:OBSERVED_CLASS]->(l:Lot) RETURN l
  UNION
  UNWIND events AS e
  WITH e WHERE e.type = 'TransformationEvent' OR e.action = 'ADD' OR e.biz_step = 'commissioning'
  MATCH (e)-[:OBSERVED]->(i:Item)
  WITH DISTINCT i
  MATCH (i)<-[:HAS_ITEM]-(l:Lot)
  RETURN l
}
RETURN collect(DISTINCT l.epc) AS lots
