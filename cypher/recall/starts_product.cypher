// A product (GTIN) made within a window: its items by commissioning time and
// its lots by manufacturing time. Now: the times the writer stored (the earliest
// commissioning). As of a moment: the earliest commissioning known then (happened and
// recorded by $as_of), as the other starts and the as-of walk count only what was known.
CALL () {
  MATCH (i:Item {gtin: $gtin})
  WHERE $as_of IS NULL AND ($from IS NULL OR i.commissioned >= $from) AND ($to IS NULL OR i.commissioned <= $to)
  RETURN i AS x
  UNION
  MATCH (l:Lot {gtin: $gtin})
  WHERE $as_of IS NULL AND ($from IS NULL OR l.manufactured >= $from) AND ($to IS NULL OR l.manufactured <= $to)
  RETURN l AS x
  UNION
  // commissioning: core.epcis.models.commissioning_roles (an ObjectEvent's epcList or quantityList
  // with ADD or the commissioning step, a TransformationEvent's outputs)
  MATCH (i:Item {gtin: $gtin})
  WHERE $as_of IS NOT NULL AND i.commissioned <= $as_of
  WITH i, COLLECT {
    MATCH (i)<-[o:OBSERVED]-(e:Event)
    WHERE e.time <= $as_of AND e.recorded <= $as_of
      AND (e:TransformationEvent AND o.role = 'output'
           OR e:ObjectEvent AND o.role = 'epc' AND (e.action = 'ADD' OR e.biz_step = 'commissioning'))
    RETURN e.time AS t ORDER BY t LIMIT 1
  } AS made
  WITH i, made[0] AS t
  WHERE t IS NOT NULL AND ($from IS NULL OR t >= $from) AND ($to IS NULL OR t <= $to)
  RETURN i AS x
  UNION
  MATCH (l:Lot {gtin: $gtin})
  WHERE $as_of IS NOT NULL AND l.manufactured <= $as_of
  WITH l, COLLECT {
    MATCH (l)<-[o:OBSERVED_CLASS]-(e:Event)
    WHERE e.time <= $as_of AND e.recorded <= $as_of
      AND (e:TransformationEvent AND o.role = 'output'
           OR e:ObjectEvent AND o.role = 'epc' AND (e.action = 'ADD' OR e.biz_step = 'commissioning'))
    RETURN e.time AS t ORDER BY t LIMIT 1
  } AS made
  WITH l, made[0] AS t
  WHERE t IS NOT NULL AND ($from IS NULL OR t >= $from) AND ($to IS NULL OR t <= $to)
  RETURN l AS x
}
RETURN x.epc AS epc, elementId(x) AS id, x:Item AS item, CASE WHEN x:Item THEN x.lot END AS of_lot, x.gtin AS gtin
