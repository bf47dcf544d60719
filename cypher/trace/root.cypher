// What a traced identifier is: an item, a container or a lot (index seeks only).
CALL () {
  MATCH (o:Object {epc: $epc}) RETURN o AS n, CASE WHEN o:Item THEN 'item' ELSE 'container' END AS kind
  UNION
  MATCH (l:Lot {epc: $epc}) RETURN l AS n, 'lot' AS kind
}
RETURN n.epc AS epc, kind
LIMIT 1
