// Authorized trading relationships: (:Party)-[:AUTHORIZED {products, channel, valid_from,
// valid_to}]->(:Party). A change closes the current one at the new one's valid_from and adds
// a new relationship; an identical PUT changes nothing.
UNWIND $rows AS r
MERGE (a:Party {epc: r.from_party})
MERGE (b:Party {epc: r.to_party})
WITH a, b, r
OPTIONAL MATCH (a)-[cur:AUTHORIZED]->(b) WHERE cur.superseded IS NULL
WITH a, b, r, collect(cur) AS current
WITH a, b, r, current,
     [c IN current WHERE c.products = r.products AND coalesce(c.channel, '') = coalesce(r.channel, '')
      AND c.valid_from = r.valid_from AND coalesce(c.valid_to, 'open') = coalesce(r.valid_to, 'open')] AS same
CALL (a, b, r, current, same) {
  WITH a, b, r, current, same WHERE size(same) = 0
  FOREACH (c IN current |
    SET c.superseded = $at,
        c.valid_to = CASE WHEN c.valid_to IS NULL OR c.valid_to > r.valid_from THEN r.valid_from ELSE c.valid_to END)
  CREATE (a)-[n:AUTHORIZED {products: r.products, channel: r.channel, valid_from: r.valid_from,
                            valid_to: r.valid_to, recorded: $at, changed_by: $actor, source: $source}]->(b)
}
RETURN r.from_party AS from_party, r.to_party AS to_party, size(same) = 0 AS changed,
       [c IN current | c {.*}] AS before
