// Unpacking (AggregationEvent DELETE): close the latest open packing interval
// that began before it; without childEPCs every child of the parent comes out.
// A named child is reached from its own side: a parent (a pallet, a shelf) may have held
// thousands of children over time, a child was packed only a few times.
UNWIND $rows AS row
WITH row {.*, time: datetime(row.time), known: datetime(row.known)} AS r
MATCH (p:Object {epc: r.parent}) USING INDEX p:Object(epc)
CALL (p, r) {
  CALL (p, r) {
    WITH p, r WHERE r.child IS NOT NULL
    MATCH (c:Object {epc: r.child}) USING INDEX c:Object(epc)
    MATCH (c)-[x:IN]->(p)
    WHERE x.end IS NULL AND x.start <= r.time
    RETURN c, x
    UNION
    WITH p, r WHERE r.child IS NULL
    MATCH (c:Object)-[x:IN]->(p)
    WHERE x.end IS NULL AND x.start <= r.time
    RETURN c, x
  }
  WITH c, x ORDER BY x.start DESC
  WITH c, collect(x)[0] AS latest
  // end_known: when the unpacking had happened and been recorded (trace/packed_as_of)
  SET latest.end = r.time, latest.end_event = r.event_id, latest.end_known = r.known
}
