// History entries of a CAPA (shown on the timelines of the investigations it addresses too).
MATCH (c:Capa {id: $id})
UNWIND $entries AS e
CREATE (c)-[:LOGGED]->(x:CaseEntry)
SET x = e
