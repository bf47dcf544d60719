// Per lot and unit: quantity made (commissioned or transformation output: core.epcis.models.
// commissioning_roles) and drawn (input).
UNWIND $lots AS epc
MATCH (l:Lot {epc: epc})<-[r:OBSERVED_CLASS]-(e:Event) USING INDEX l:Lot(epc)
WHERE r.quantity IS NOT NULL AND NOT coalesce(e.error_declared, false) AND NOT e.event_id IN $declared
WITH epc, coalesce(r.uom, '') AS uom,
     CASE WHEN r.role = 'output' OR (r.role = 'epc' AND e:ObjectEvent AND (e.action = 'ADD' OR e.biz_step = 'commissioning'))
          THEN r.quantity ELSE 0 END AS made,
     CASE WHEN r.role = 'input' THEN r.quantity ELSE 0 END AS drawn
RETURN epc, uom, sum(made) AS made, sum(drawn) AS drawn
