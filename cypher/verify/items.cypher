MATCH (i:Item)
RETURN count(i) AS items
