// Benchmark input: serials spread over the data, each with its manufacturer's PGLN.
MATCH (i:Item)-[:OF_PRODUCT]->(:Product)-[:MADE_BY]->(m:Party)
WITH i, m SKIP $skip LIMIT $limit
RETURN i.epc AS epc, m.epc AS party
