// The genealogy walk, one breadth-first level upstream (the mirror of walk_forward): what
// each frontier node was made from (INTO) and an item's lot (HAS_ITEM: the lot's own
// inputs went into the item too). With $as_of, a link counts only when the event that
// made it had happened and been recorded by then. `more`: the reached node has inputs.
UNWIND $ids AS id
MATCH (n) WHERE elementId(n) = id
MATCH (n)<-[r:INTO|HAS_ITEM]-(m)
WHERE $as_of IS NULL OR
  (type(r) = 'INTO' AND EXISTS { MATCH (e:Event {event_id: r.event_id})
                                 WHERE e.time <= $as_of AND e.recorded <= $as_of }) OR
  // a binding made by its commissioning events (HAS_ITEM.events, ingest/lot_members); one stored
  // before they were kept: by the item's first commissioning
  (type(r) = 'HAS_ITEM' AND CASE WHEN r.events IS NULL
     THEN EXISTS { MATCH (n)<-[o:OBSERVED]-(e:Event)
                   WHERE o.role IN ['epc', 'output'] AND e.time <= $as_of
                     AND e.recorded <= $as_of AND e.time = n.commissioned }
     ELSE EXISTS { MATCH (e:Event) WHERE e.event_id IN r.events AND e.time <= $as_of AND e.recorded <= $as_of }
   END)
RETURN collect([id, elementId(m), m.epc, m:Item, m:Lot, CASE WHEN m:Item THEN m.lot END, m.gtin,
                type(r), r.transformation_id, r.time, r.quantity,
                EXISTS { (m)<-[:INTO|HAS_ITEM]-() }]) AS links
