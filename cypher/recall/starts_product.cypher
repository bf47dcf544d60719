// A product (GTIN) made within a window: its items by commissioning time and
// its lots by manufacturing time.
CALL () {
  MATCH (i:Item {gtin: $gtin})
  WHERE ($from IS NULL OR i.commissioned >= $from) AND ($to IS NULL OR i.commissioned <= $to)
    AND ($as_of IS NULL OR i.commissioned <= $as_of)
  RETURN i AS x
  UNION
  MATCH (l:Lot {gtin: $gtin})
  WHERE ($from IS NULL OR l.manufactured >= $from) AND ($to IS NULL OR l.manufactured <= $to)
    AND ($as_of IS NULL OR l.manufactured <= $as_of)
  RETURN l AS x
}
RETURN x.epc AS epc, elementId(x) AS id, x:Item AS item, CASE WHEN x:Item THEN x.lot END AS of_lot, x.gtin AS gtin
