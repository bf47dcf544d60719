// Items whose current place and status (recall/where) these events can change: the
// items they named, and every item ever packed inside a container they named.
UNWIND $events AS id
MATCH (e:Event {event_id: id})-[:OBSERVED]->(o:Object) USING INDEX e:Event(event_id)
WITH DISTINCT o
CALL (o) {
  RETURN o AS i
  UNION
  MATCH (o)<-[:IN*1..4]-(i:Object)
  RETURN i
}
WITH DISTINCT i WHERE i:Item
RETURN collect(i.epc) AS epcs
