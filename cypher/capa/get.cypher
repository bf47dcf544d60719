MATCH (c:Capa {id: $id})
RETURN c {.*} AS capa,
       COLLECT { MATCH (c)-[:ADDRESSES]->(i:Investigation) RETURN i.id AS i ORDER BY i } AS investigations,
       COLLECT { MATCH (c)-[:HAS_ACTION]->(a:CapaAction) RETURN a {.*} AS a ORDER BY a.created, a.n } AS actions,
       COLLECT { MATCH (c)-[:VERIFIED_BY]->(v:CapaVerification) RETURN v {.*} AS v ORDER BY v.at, v.id }
         AS verifications,
       COLLECT { MATCH (c)-[:LOGGED]->(e:CaseEntry) RETURN e {.*} AS e ORDER BY e.at, e.n } AS history
