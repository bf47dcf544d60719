// Containers that held each item at some time, through nested packing whose
// intervals overlap (a pallet holds an item only while the item's case is on it).
UNWIND $epcs AS epc
MATCH (i:Object {epc: epc}) USING INDEX i:Object(epc)
MATCH (i) (()-[r:IN]->()){1,4} (c:Container)
WITH c, reduce(lo = r[0].start, x IN r | CASE WHEN x.start > lo THEN x.start ELSE lo END) AS lo,
     reduce(hi = null, x IN r | CASE WHEN x.end IS NULL THEN hi
                                     WHEN hi IS NULL OR x.end < hi THEN x.end ELSE hi END) AS hi
WHERE hi IS NULL OR lo <= hi
RETURN collect(DISTINCT c.epc) AS containers
