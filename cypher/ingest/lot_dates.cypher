// Expiry of lots produced at lot level (outputQuantityList with ILMD).
UNWIND $rows AS r
MATCH (l:Lot {epc: r.lot}) USING INDEX l:Lot(epc)
SET l.expiry = coalesce(r.expiry, l.expiry)
