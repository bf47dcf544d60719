MATCH (:Site {epc: $epc})-[:OPERATED_BY]->(p:Party)
RETURN p.epc AS owner
