// A serial's timeline in one round trip (GET /v1/serials/{id}/timeline): every event that saw
// it, by the rules of trace/observations.cypher (its trace/seen part only: a timeline needs
// neither the site list nor the status, which cost about a tenth of the call). $epcs is [$epc],
// $with_events true. No row: no such serialized item. Times leave as ISO strings, as in
// serials/serial.cypher.
MATCH (i:Object {epc: $epc}) USING INDEX i:Object(epc)
WHERE i:Item
OPTIONAL CALL () {
  // include: trace/seen
  RETURN events
}
RETURN [e IN coalesce(events, []) | e {.*, time: toString(e.time)}]
         AS events
LIMIT 1
