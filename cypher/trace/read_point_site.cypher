// Fragment (included, never run alone; graph/queries.py `// include:`): the site a read point
// `rp` belongs to, as an expression, where a read point without a bizLocation stands for its
// site: its master-data PART_OF site, else the SGLN with extension 0 of the same company prefix
// and location reference, else null. Resolved when read, never stored: master data can change.
coalesce(COLLECT { MATCH (:Site {epc: rp})-[:PART_OF]->(s:Site) RETURN s.epc }[0],
         CASE WHEN rp STARTS WITH 'urn:epc:id:sgln:' AND size(split(rp, '.')) = 3
              THEN split(rp, '.')[0] + '.' + split(rp, '.')[1] + '.0' END)
