// Items whose stored state is missing or predates state_key (all items with $everything).
MATCH (i:Item)
WHERE $everything OR i.state_key IS NULL
RETURN collect(i.epc) AS epcs
