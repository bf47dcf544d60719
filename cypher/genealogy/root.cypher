CALL () {
  MATCH (o:Object {epc: $epc}) RETURN o AS n
  UNION
  MATCH (l:Lot {epc: $epc}) RETURN l AS n
}
RETURN elementId(n) AS id
LIMIT 1
