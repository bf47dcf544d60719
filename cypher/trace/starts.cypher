// Fragment (included, never run alone): the start nodes `n` of a trace of $epc: the item or
// lot itself; for a container, every item ever packed in it, up to 4 levels.
CALL () {
  MATCH (o:Object {epc: $epc}) USING INDEX o:Object(epc) WHERE o:Item RETURN o AS n
  UNION
  MATCH (l:Lot {epc: $epc}) USING INDEX l:Lot(epc) RETURN l AS n
  UNION
  MATCH (c:Object {epc: $epc})<-[:IN*1..4]-(n:Item) USING INDEX c:Object(epc) WHERE NOT c:Item RETURN n
}
