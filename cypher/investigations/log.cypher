// Timeline entries of an investigation (who, when, what, why), written with the change.
MATCH (i:Investigation {id: $id})
UNWIND $entries AS e
CREATE (i)-[:LOGGED]->(x:CaseEntry)
SET x = e
