// Benchmark input (tracegraph bench serial): finished devices that were packed, so their
// timelines go through containers and their backward traces reach subassemblies and
// materials; spread over the data, each with its manufacturer's PGLN.
MATCH (i:Item)-[:OF_PRODUCT]->(:Product {kind: 'finished_good'})-[:MADE_BY]->(m:Party)
WHERE EXISTS { (i)-[:IN]->(:Container) }
WITH i, m SKIP $skip LIMIT $limit
RETURN i.epc AS epc, m.epc AS party
