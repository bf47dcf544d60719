// The recalling firm: the makers of these products (master data MADE_BY) and every party
// whose master data role is manufacturer.
CALL () {
  UNWIND $gtins AS gtin
  MATCH (:Product {gtin: gtin})-[:MADE_BY]->(p:Party)
  RETURN p.epc AS party
  UNION
  MATCH (p:Party) WHERE p.role = 'manufacturer'
  RETURN p.epc AS party
}
RETURN collect(DISTINCT party) AS parties
