// The genealogy walk, one breadth-first level downstream: what each frontier node went
// into (INTO) and the items of each lot (HAS_ITEM). The one closure that trace, genealogy
// and recall scope share (tracegraph/genealogy/closure.py); walk_backward is its mirror.
// With $as_of, a link counts only when the event that made it had happened and been
// recorded by then. `more`: the reached node leads further (a degree check, no expand),
// so the big last level of finished serials is never expanded.
UNWIND $ids AS id
MATCH (n) WHERE elementId(n) = id
MATCH (n)-[r:INTO|HAS_ITEM]->(m)
WHERE $as_of IS NULL OR
  (type(r) = 'INTO' AND EXISTS { MATCH (e:Event {event_id: r.event_id})
                                 WHERE e.time <= $as_of AND e.recorded <= $as_of }) OR
  // a binding made by its commissioning events (HAS_ITEM.events, ingest/lot_members); one stored
  // before they were kept: by the item's first commissioning
  (type(r) = 'HAS_ITEM' AND CASE WHEN r.events IS NULL
     THEN EXISTS { MATCH (m)<-[o:OBSERVED]-(e:Event)
                   WHERE o.role IN ['epc', 'output'] AND e.time <= $as_of
                     AND e.recorded <= $as_of AND e.time = m.commissioned }
     ELSE EXISTS { MATCH (e:Event) WHERE e.event_id IN r.events AND e.time <= $as_of AND e.recorded <= $as_of }
   END)
// One record of lists (cheap for the driver): [src, dst, epc, item, lot, of_lot, gtin,
// link type, transformation id, time, quantity, more].
RETURN collect([id, elementId(m), m.epc, m:Item, m:Lot, CASE WHEN m:Item THEN m.lot END, m.gtin,
                type(r), r.transformation_id, r.time, r.quantity,
                EXISTS { (m)-[:INTO|HAS_ITEM]->() }]) AS links
