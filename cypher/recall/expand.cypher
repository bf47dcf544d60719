// One breadth-first step of the forward closure: what each frontier node went
// into (INTO) and the items of each lot (HAS_ITEM). With $as_of, a link counts only
// when the event that made it had happened and been recorded by then.
// `more` tells whether the reached node leads further (degree check, no expand).
UNWIND $ids AS id
MATCH (n) WHERE elementId(n) = id
MATCH (n)-[r:INTO|HAS_ITEM]->(m)
WHERE $as_of IS NULL OR
  (type(r) = 'INTO' AND EXISTS { MATCH (e:Event {event_id: r.event_id})
                                 WHERE e.time <= $as_of AND e.recorded <= $as_of }) OR
  (type(r) = 'HAS_ITEM' AND EXISTS { MATCH (m)<-[o:OBSERVED]-(e:Event)
                                     WHERE o.role IN ['epc', 'output'] AND e.time <= $as_of
                                       AND e.recorded <= $as_of AND e.time = m.commissioned })
// One record of [src, dst, epc, item, of_lot, gtin, more] lists (cheap for the driver).
RETURN collect([id, elementId(m), m.epc, m:Item, CASE WHEN m:Item THEN m.lot END, m.gtin,
                EXISTS { (m)-[:INTO|HAS_ITEM]->() }]) AS links
