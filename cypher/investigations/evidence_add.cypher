// A stored file or trace snapshot as evidence (its bytes are on disk under its SHA-256).
MATCH (i:Investigation {id: $id})
CREATE (i)-[:HAS_EVIDENCE]->(e:InvestigationEvidence)
SET e = $evidence, i.updated = $now
RETURN e {.*} AS evidence
