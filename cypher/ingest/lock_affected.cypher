// The objects these events named and everything ever packed inside them (what
// ingest/affected_items reads), write-locked in epc order (held to commit), with the items
// among them: the items whose stored state the events can change. The writer locked most
// of them already (ingest/lock_objects); the rest are packing made by this transaction or
// by one that committed since, which tracegraph/recalls/state.py locks and checks again.
UNWIND $events AS id
MATCH (e:Event {event_id: id})-[:OBSERVED]->(o:Object) USING INDEX e:Event(event_id)
WITH DISTINCT o
CALL (o) {
  RETURN o AS x
  UNION
  MATCH (o)<-[:IN*1..4]-(x:Object)
  RETURN x
}
WITH DISTINCT x
ORDER BY x.epc
SET x._lock = true
REMOVE x._lock
// `fresh`: objects this transaction created ($token: ingest/items, containers, other_objects);
// no other writer can have packed anything into them (recalls/state.py). The mark goes.
WITH x, x._created_by = $token AS fresh
REMOVE x._created_by
RETURN collect(x.epc) AS epcs, collect(CASE WHEN x:Item THEN x.epc END) AS items,
       collect(CASE WHEN fresh THEN x.epc END) AS fresh
