// A whole recall scope counted inside Neo4j (no as-of, no depth limit): the closure by
// one pruning expand, its items grouped by their stored state (`state_key`, see
// ingest/item_state) and one page of kept serials in epc order. A 100k-serial scope
// sends back a few thousand groups instead of 100k rows. Items without a key (stored
// before it existed) come back as key '': the caller then computes in Python, as it does
// when a node is marked InCycle by ingest (the Python closure reports cycles).
UNWIND $ids AS id
MATCH (n) WHERE elementId(n) = id
MATCH (n)-[:INTO|HAS_ITEM*0..{{max_depth}}]->(m)
WITH DISTINCT m
ORDER BY m.epc
// collect keeps the row order, so a page is a slice (a Top inside the subquery would
// buffer rows that each carry the whole list: memory of page size × scope size)
WITH collect(m) AS reached
CALL (reached) {
  UNWIND reached AS m
  WITH m:Item AS item, m:InCycle AS cyclic, m
  WITH CASE WHEN item THEN coalesce(m.state_key, '') END AS key, CASE WHEN NOT item THEN m.epc END AS other,
       cyclic, count(*) AS n
  RETURN collect([key, other, cyclic, n]) AS groups
}
RETURN groups,
       [m IN [m IN reached WHERE m:Item AND (size($excluded) = 0 OR NOT m.state_status IN $excluded)]
          [$skip..$skip + $limit] | [m.epc, coalesce(m.state_site, ''), m.state_status]] AS page
