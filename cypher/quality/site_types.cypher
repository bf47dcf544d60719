UNWIND $epcs AS epc
MATCH (s:Site {epc: epc}) USING INDEX s:Site(epc)
WHERE s.site_type IS NOT NULL
RETURN epc, s.site_type AS site_type
