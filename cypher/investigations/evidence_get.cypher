MATCH (i:Investigation {id: $id})-[:HAS_EVIDENCE]->(e:InvestigationEvidence {id: $evidence})
RETURN e {.*} AS evidence
