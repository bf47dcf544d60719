// Manufacture and expiry dates of lots (for the 806 report's dates).
UNWIND $epcs AS epc
MATCH (l:Lot {epc: epc}) USING INDEX l:Lot(epc)
RETURN l.epc AS lot, l.manufactured AS manufactured, l.expiry AS expiry
