// Every stored event in a form that does not depend on the syntax it came in (raw left out).
MATCH (e:Event)
RETURN e.event_id AS event_id, e.type AS type, e.time AS time, e.action AS action, e.biz_step AS biz_step,
       e.disposition AS disposition, e.read_point AS read_point, e.biz_location AS biz_location,
       coalesce(e.destinations, []) AS destinations, e.transformation_id AS transformation_id,
       coalesce(e.error_declared, false) AS declared,
       COLLECT { MATCH (e)-[o:OBSERVED]->(x) RETURN o.role + ' ' + x.epc AS t ORDER BY t } AS objects,
       COLLECT { MATCH (e)-[o:OBSERVED_CLASS]->(x)
                 RETURN o.role + ' ' + coalesce(x.epc, x.gtin) + ' ' + toString(o.quantity) + ' ' +
                        coalesce(o.uom, '') AS t ORDER BY t } AS classes,
       COLLECT { MATCH (e)-[o:SHIPMENT]->(x) RETURN o.direction + ' ' + o.type + ' ' + x.epc AS t ORDER BY t }
         AS shipments
ORDER BY event_id
