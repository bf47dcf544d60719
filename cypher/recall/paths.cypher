// A shortest derivation path from any start node to each serial (fast-path scopes;
// the breadth-first closure keeps its own paths). Searched backward from the serial.
UNWIND $epcs AS epc
MATCH (i:Object {epc: epc}) USING INDEX i:Object(epc)
CALL (i) {
  MATCH p = ANY SHORTEST (i)<-[:INTO|HAS_ITEM]-{0,{{max_depth}}}(s WHERE elementId(s) IN $starts)
  RETURN [n IN reverse(nodes(p)) | n.epc] AS path
  LIMIT 1
}
RETURN epc, path
