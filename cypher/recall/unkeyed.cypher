// Items whose stored state is missing, predates state_key, or is of an older format than
// $version (before state_v: no places kept); all items with $everything.
MATCH (i:Item)
WHERE $everything OR i.state_key IS NULL OR coalesce(i.state_v, 1) < $version
RETURN collect(i.epc) AS epcs
