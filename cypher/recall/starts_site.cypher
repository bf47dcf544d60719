// What a site or production line produced in a window: lots and objects output or
// commissioned by events there (a line is an event's readPoint, a site its bizLocation).
CALL () {
  MATCH (e:Event {biz_location: $epc}) RETURN e
  UNION
  MATCH (e:Event) WHERE e.read_point = $epc RETURN e
}
WITH e WHERE ($from IS NULL OR e.time >= $from) AND ($to IS NULL OR e.time <= $to)
  AND ($as_of IS NULL OR (e.time <= $as_of AND e.recorded <= $as_of)) AND
  // include: trace/counts_as_of
MATCH (e)-[o:OBSERVED|OBSERVED_CLASS]->(x)
WHERE (x:Lot OR x:Object) AND (o.role = 'output' OR (o.role = 'epc' AND e:ObjectEvent AND e.biz_step = 'commissioning'))
WITH DISTINCT x
RETURN x.epc AS epc, elementId(x) AS id, x:Item AS item, CASE WHEN x:Item THEN x.lot END AS of_lot, x.gtin AS gtin
