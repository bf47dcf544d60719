// A shortest derivation path from any start node ($starts: element ids) to each serial
// (fast-path scopes; the breadth-first closure keeps its own paths), through the links known at
// $as_of (today's when null).
WITH $starts AS start_ids
// include: recall/live_was_into
UNWIND $epcs AS epc
MATCH (i:Object {epc: epc}) USING INDEX i:Object(epc)
CALL (i, start_ids, live) {
  // include: recall/path
}
RETURN epc, path
