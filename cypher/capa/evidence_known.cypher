// Which of these evidence ids belong to an investigation the CAPA addresses.
MATCH (c:Capa {id: $id})-[:ADDRESSES]->(:Investigation)-[:HAS_EVIDENCE]->(e:InvestigationEvidence)
WHERE e.id IN $evidence
RETURN collect(DISTINCT e.id) AS known
