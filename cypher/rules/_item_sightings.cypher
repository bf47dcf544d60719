// The histories the item-history rules judge (tracegraph/rules/history.py), read once for a
// scope of objects: for each item, every event that saw it (itself, or a container holding it
// at the event's time, up to 4 levels), not declared erroneous, with the roles it named the
// item itself in (none: it saw a container). The same walk as rules/_item_history, without
// the judging: streaming ingest judges in Python, one walk for all six rules. Times travel as
// text: the driver's DateTime hydration cost several times the walk.
UNWIND $epcs AS epc
MATCH (i:Object {epc: epc}) USING INDEX i:Object(epc)
WHERE i:Item
CALL (i) {
  MATCH (i)<-[o:OBSERVED]-(e) WHERE NOT coalesce(e.error_declared, false) RETURN e, o.role AS role
  UNION
  MATCH (i) (()-[r:IN]->()){1,4} (:Object)<-[:OBSERVED]-(e)
  WHERE NOT coalesce(e.error_declared, false)
    AND all(x IN r WHERE x.start <= e.time AND (x.end IS NULL OR e.time <= x.end))
  RETURN e, null AS role
}
WITH i, e, collect(role) AS roles
RETURN i.epc AS epc,
       collect([e.event_id, toString(e.time), e.biz_step, e.disposition, coalesce(e.biz_location, e.read_point), e.type,
                e.action, roles]) AS seen
