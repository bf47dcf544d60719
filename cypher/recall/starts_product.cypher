// A product (GTIN) made within a window: its items by commissioning time and
// its lots by manufacturing time. Now: the times the writer stored (the earliest
// commissioning). As of a moment: the earliest commissioning known then (happened and
// recorded by $as_of), as the other starts and the as-of walk count only what was known.
CALL () {
  MATCH (i:Item {gtin: $gtin}) RETURN i AS x, i.commissioned AS made
  UNION
  MATCH (l:Lot {gtin: $gtin}) RETURN l AS x, l.manufactured AS made
}
// the stored time is the earliest of all commissionings: one later than $as_of rules a node out
WITH x, made WHERE $as_of IS NULL OR made <= $as_of
// commissioning: core.epcis.models.commissioning_roles (an ObjectEvent's epcList or quantityList
// with ADD or the commissioning step, a TransformationEvent's outputs)
WITH x, CASE WHEN $as_of IS NULL THEN made ELSE COLLECT {
  MATCH (x)<-[o:OBSERVED|OBSERVED_CLASS]-(e:Event)
  WHERE e.time <= $as_of AND e.recorded <= $as_of
    AND (e:TransformationEvent AND o.role = 'output'
         OR e:ObjectEvent AND o.role = 'epc' AND (e.action = 'ADD' OR e.biz_step = 'commissioning'))
  RETURN e.time AS t ORDER BY t LIMIT 1
}[0] END AS made
WHERE ($as_of IS NULL OR made IS NOT NULL) AND ($from IS NULL OR made >= $from) AND ($to IS NULL OR made <= $to)
RETURN x.epc AS epc, elementId(x) AS id, x:Item AS item, CASE WHEN x:Item THEN x.lot END AS of_lot, x.gtin AS gtin
