// Release 0.6 (issue 16): each packing, genealogy link and lot binding carries `known`, when the
// event that made it had happened and been recorded (the later of its time and record; a lot
// binding: the first of its commissioning events), and an ended packing `end_known`, the same for
// its unpacking. The writers set them (ingest/pack, unpack, genealogy, lot_members) and the bulk
// loader writes them, so an as-of read compares a property instead of looking up an event per link
// (trace/packed_as_of, genealogy/known_as_of). Links stored before get them here, by the rules those
// reads applied before: a link whose event is gone stays unknown (null), as it was never known then.
// (No semicolons inside strings here: the file is split on them.)
MATCH ()-[x:IN|WAS_IN]->() WHERE x.known IS NULL
CALL (x) {
  OPTIONAL MATCH (k:Event {event_id: x.start_event})
  SET x.known = CASE WHEN x.start_event IS NULL THEN x.start
                     WHEN k.recorded > k.time THEN k.recorded ELSE k.time END
} IN TRANSACTIONS OF 10000 ROWS;

MATCH ()-[x:IN|WAS_IN]->() WHERE x.end IS NOT NULL AND x.end_known IS NULL
CALL (x) {
  OPTIONAL MATCH (k:Event {event_id: x.end_event})
  SET x.end_known = CASE WHEN x.end_event IS NULL THEN x.end
                         WHEN k.recorded > k.time THEN k.recorded ELSE k.time END
} IN TRANSACTIONS OF 10000 ROWS;

MATCH ()-[x:INTO|WAS_INTO]->() WHERE x.known IS NULL
CALL (x) {
  OPTIONAL MATCH (k:Event {event_id: x.event_id})
  SET x.known = CASE WHEN k.recorded > k.time THEN k.recorded ELSE k.time END
} IN TRANSACTIONS OF 10000 ROWS;

// a binding stored before it kept its events (`events` null): by the item's first commissioning
MATCH ()-[h:HAS_ITEM]->(i) WHERE h.known IS NULL
CALL (h, i) {
  CALL (h, i) {
    WITH h WHERE h.events IS NOT NULL
    MATCH (e:Event) WHERE e.event_id IN h.events
    RETURN e
    UNION
    WITH h, i WHERE h.events IS NULL
    MATCH (i)<-[o:OBSERVED]-(e:Event) WHERE o.role IN ['epc', 'output'] AND e.time = i.commissioned
    RETURN e
  }
  WITH h, min(CASE WHEN e.recorded > e.time THEN e.recorded ELSE e.time END) AS known
  SET h.known = known
} IN TRANSACTIONS OF 10000 ROWS;
