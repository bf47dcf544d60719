// What each event touched, with its role (epc, parent, child, input, output).
UNWIND $rows AS r
MATCH (e:Event {event_id: r.event_id})
MATCH (o:Object {epc: r.epc})
CREATE (e)-[:OBSERVED {role: r.role}]->(o)
WITH o, r WHERE r.commissions
SET o.commissioned = CASE WHEN o.commissioned IS NULL OR r.time < o.commissioned
                          THEN r.time ELSE o.commissioned END
