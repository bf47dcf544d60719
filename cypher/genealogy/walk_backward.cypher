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
  (type(r) = 'HAS_ITEM' AND EXISTS { MATCH (n)<-[o:OBSERVED]-(e:Event)
                                     WHERE o.role IN ['epc', 'output'] AND e.time <= $as_of
                                       AND e.recorded <= $as_of AND e.time = n.commissioned })
RETURN collect([id, elementId(m), m.epc, m:Item, m:Lot, CASE WHEN m:Item THEN m.lot END, m.gtin,
                type(r), r.transformation_id, r.time, r.quantity,
                EXISTS { (m)<-[:INTO|HAS_ITEM]-() }]) AS links
