MATCH (a:Alert {id: $id})
RETURN a {.*, open_key: null} AS alert,
       COLLECT { MATCH (a)-[:STEP]->(s:AlertStep) RETURN s {.*} AS step ORDER BY s.at } AS steps
