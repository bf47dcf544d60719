// Stored current state of serials: recall/state_columns.
UNWIND $epcs AS epc
MATCH (i:Object {epc: epc}) USING INDEX i:Object(epc)
// include: recall/state_columns
