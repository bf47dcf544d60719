// Forward closure: outputs made from the starts (INTO), and the items of every
// lot reached (HAS_ITEM). Bounded depth; DISTINCT ends let the planner prune.
CALL () {
  MATCH (n:Object) WHERE n.epc IN $starts RETURN n
  UNION
  MATCH (n:Lot) WHERE n.epc IN $starts RETURN n
}
MATCH (n)-[:INTO|HAS_ITEM*0..{{max_depth}}]->(m)
WITH DISTINCT m
RETURN m.epc AS epc, m:Item AS item, m:Lot AS lot, m.lot AS of_lot
