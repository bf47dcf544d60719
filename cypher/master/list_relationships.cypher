// Authorized relationships touching $party (or all); with $at only those valid then,
// with $history also superseded ones.
MATCH (a:Party)-[x:AUTHORIZED]->(b:Party)
WHERE ($party IS NULL OR a.epc = $party OR b.epc = $party)
  AND ($history OR x.superseded IS NULL)
  AND ($at IS NULL OR (x.valid_from <= $at AND (x.valid_to IS NULL OR x.valid_to > $at)))
RETURN a.epc AS from_party, b.epc AS to_party, x {.*} AS props
ORDER BY a.epc, b.epc, x.recorded
SKIP $offset LIMIT $limit
