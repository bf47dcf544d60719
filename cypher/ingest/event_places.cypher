// Sites and parties the events name (bizLocation, source/destination lists).
UNWIND $sites AS epc
MERGE (:Site {epc: epc})
WITH count(*) AS done
UNWIND $parties AS epc
MERGE (:Party {epc: epc})
