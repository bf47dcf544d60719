// What a container held when it was shipped: items whose packing chain (up to 4
// levels) covers the time of a shipping event that saw the container. A container
// never shipped gives everything ever packed in it. $as_of hides later records: a packing
// counts once its event was known (happened and recorded: `known`), its unpacking only when
// known too (`end_known`; ingest/pack, ingest/unpack).
MATCH (c:Object {epc: $epc})
OPTIONAL MATCH (c)<-[:OBSERVED]-(e:Event {biz_step: 'shipping'})
WHERE ($as_of IS NULL OR (e.time <= $as_of AND e.recorded <= $as_of)) AND
  // include: trace/counts_as_of
WITH c, collect(e.time) AS shipped
// (as of a moment: also the links a later error declaration undid, ingest/declare_errors)
MATCH (i:Item) (()-[r:IN|WAS_IN]->()){1,4} (c)
WHERE all(x IN r WHERE $as_of IS NULL AND type(x) = 'IN' OR
          // include: trace/version_known
          )
  AND (size(shipped) = 0 OR
       any(t IN shipped WHERE all(x IN r WHERE x.start <= t AND
                                  (x.end IS NULL OR t <= x.end OR
                                   $as_of IS NOT NULL AND NOT coalesce(x.end_known <= $as_of, false)))))
WITH DISTINCT i
RETURN i.epc AS epc, elementId(i) AS id, true AS item, i.lot AS of_lot, i.gtin AS gtin
