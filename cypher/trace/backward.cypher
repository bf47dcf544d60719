// Backward closure: inputs the starts were made from, and the lot of every item
// reached (the lot's own inputs went into the item too).
CALL () {
  MATCH (n:Object) WHERE n.epc IN $starts RETURN n
  UNION
  MATCH (n:Lot) WHERE n.epc IN $starts RETURN n
}
MATCH (n)<-[:INTO|HAS_ITEM*0..{{max_depth}}]-(m)
WITH DISTINCT m
RETURN m.epc AS epc, m:Item AS item, m:Lot AS lot, m.lot AS of_lot
