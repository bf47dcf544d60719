// Tests only: every object (items, containers, others), in epc order.
MATCH (o:Object) RETURN o.epc AS epc ORDER BY epc
