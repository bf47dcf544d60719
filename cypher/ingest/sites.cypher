UNWIND $rows AS r
MERGE (s:Site {epc: r.epc})
SET s += r.props
WITH s, r
CALL (s, r) {
  WITH s, r WHERE r.owner IS NOT NULL
  MERGE (p:Party {epc: r.owner})
  MERGE (s)-[:OPERATED_BY]->(p)
}
CALL (s, r) {
  WITH s, r WHERE r.parent IS NOT NULL
  MERGE (parent:Site {epc: r.parent})
  MERGE (s)-[:PART_OF]->(parent)
}
