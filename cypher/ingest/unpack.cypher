// Unpacking (AggregationEvent DELETE): close the latest open packing interval
// that began before it; without childEPCs every child of the parent comes out.
UNWIND $rows AS row
WITH row {.*, time: datetime(row.time)} AS r
MATCH (p:Object {epc: r.parent}) USING INDEX p:Object(epc)
CALL (p, r) {
  MATCH (c:Object)-[x:IN]->(p)
  WHERE x.end IS NULL AND x.start <= r.time AND (r.child IS NULL OR c.epc = r.child)
  WITH c, x ORDER BY x.start DESC
  WITH c, collect(x)[0] AS latest
  SET latest.end = r.time, latest.end_event = r.event_id
}
