MATCH (i:Investigation {id: $id})
RETURN i {.*} AS investigation,
       COLLECT { MATCH (i)-[c:CONCERNS]->(n) RETURN {kind: c.kind, epc: n.epc} AS s ORDER BY c.kind, n.epc }
         AS subjects,
       COLLECT { MATCH (i)-[:OPENED_FROM]->(a:Alert) RETURN a.id AS a ORDER BY a } AS alerts,
       COLLECT { MATCH (i)-[:HAS_FINDING]->(f:InvestigationFinding) RETURN f {.*} AS f ORDER BY f.at, f.id }
         AS findings,
       COLLECT { MATCH (i)-[:HAS_EVIDENCE]->(e:InvestigationEvidence) RETURN e {.*} AS e ORDER BY e.at, e.id }
         AS evidence,
       COLLECT { MATCH (c:Capa)-[:ADDRESSES]->(i) RETURN c.id AS c ORDER BY c } AS capas,
       COLLECT { MATCH (i)-[:LOGGED]->(s:CaseEntry) WHERE s.to IS NOT NULL RETURN s {.*} AS s ORDER BY s.at, s.n }
         AS steps
