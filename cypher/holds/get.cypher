MATCH (h:Hold {id: $id})
RETURN h {.*} AS hold,
       COLLECT { MATCH (h)-[:HOLDS]->(o:Object) RETURN o.epc AS epc ORDER BY epc LIMIT $limit } AS held
