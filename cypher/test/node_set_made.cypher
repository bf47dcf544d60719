// Tests: give object $epc the making event $event_id, whatever observed it (a store that
// disagrees with itself: the genealogy still shows the event named).
MATCH (n:Object {epc: $epc})
SET n.made_event = $event_id
