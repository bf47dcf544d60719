// The forward closure's serials in one statement (pruning var-length expand):
// the benchmark's "one Cypher statement" column, and the fast path when there is
// no as-of, no depth limit and only lot/serial starts.
CALL () {
  MATCH (n:Lot) WHERE n.epc IN $starts RETURN n
  UNION
  MATCH (n:Object) WHERE n.epc IN $starts RETURN n
}
MATCH (n)-[:INTO|HAS_ITEM*0..{{max_depth}}]->(m:Item)
RETURN collect(DISTINCT m.epc) AS serials
