// Every (event, object, role) observation, for comparing loaders.
MATCH (e:Event)-[r:OBSERVED]->(o:Object)
RETURN e.event_id AS event_id, o.epc AS epc, r.role AS role
