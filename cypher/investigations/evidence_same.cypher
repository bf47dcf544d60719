// Evidence of this investigation with the same content and kind (uploads are idempotent).
MATCH (i:Investigation {id: $id})-[:HAS_EVIDENCE]->(e:InvestigationEvidence)
WHERE e.sha256 = $sha256 AND e.kind = $kind
RETURN e {.*} AS evidence
ORDER BY e.at
LIMIT 1
