// Fragment (included, never run alone; graph/queries.py `// include:`): the start nodes of a
// counted recall scope (recall/fast_scope, recall/fast_scope_as_of) as `starts`: the Lot nodes of
// $lots, the items of $serials, and the nodes of other kinds of start, resolved before, by
// element id ($ids).
CALL () {
  UNWIND $lots AS epc
  MATCH (n:Lot {epc: epc}) USING INDEX n:Lot(epc)
  RETURN n
  UNION
  UNWIND $serials AS epc
  MATCH (n:Object {epc: epc}) USING INDEX n:Object(epc) WHERE n:Item
  RETURN n
  UNION
  UNWIND $ids AS id
  MATCH (n) WHERE elementId(n) = id
  RETURN n
}
WITH collect(n) AS starts
