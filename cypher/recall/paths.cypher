// A shortest derivation path from any start node ($starts: element ids) to each serial
// (fast-path scopes; the breadth-first closure keeps its own paths).
UNWIND $epcs AS epc
MATCH (i:Object {epc: epc}) USING INDEX i:Object(epc)
CALL (i) {
  WITH i, $starts AS start_ids
  // include: recall/path
}
RETURN epc, path
