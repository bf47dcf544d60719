// Output MADE FROM input: every input of a transformation (all events sharing
// its transformationID) INTO every output. MERGE keeps re-sends idempotent;
// events declared erroneous do not count.
UNWIND $tids AS tid
MATCH (ei:Event {transformation_id: tid})-[ri:OBSERVED|OBSERVED_CLASS]->(input)
WHERE ri.role = 'input' AND NOT coalesce(ei.error_declared, false)
MATCH (eo:Event {transformation_id: tid})-[ro:OBSERVED|OBSERVED_CLASS]->(output)
WHERE ro.role = 'output' AND NOT coalesce(eo.error_declared, false)
MERGE (input)-[x:INTO {transformation_id: tid}]->(output)
ON CREATE SET x.event_id = eo.event_id, x.time = eo.time, x.quantity = ri.quantity, x.uom = ri.uom,
              // when its event had happened and been recorded (genealogy/known_as_of)
              x.known = CASE WHEN eo.recorded > eo.time THEN eo.recorded ELSE eo.time END
// A link that closes a loop (the input is reachable from the output) marks both ends
// InCycle: a scope that reaches one is computed in Python, which reports cycles.
WITH input, output
WHERE input = output OR EXISTS { MATCH shortestPath((output)-[:INTO|HAS_ITEM*1..{{max_depth}}]->(input)) }
SET input:InCycle, output:InCycle
