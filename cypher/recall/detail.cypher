// Fragment (included, never run alone; graph/queries.py `// include:`): a subquery adding the
// details of item `i`: its product, lot and the container that held it at $as_of (now if null;
// as known then: a packing and an unpacking count once their events were recorded)
// (recall/details, recall/fast_scope). The product and lot by the item's own properties (the
// writers set `gtin` with OF_PRODUCT and `lot` with HAS_ITEM): an expand walks the item's
// whole relationship chain, every observing event's included.
CALL (i) {
  OPTIONAL MATCH (p:Product {gtin: i.gtin}) USING INDEX p:Product(gtin)
  CALL (i) {
    // (as of a moment: also a link a later error declaration undid, ingest/declare_errors)
    OPTIONAL MATCH (i)-[x:IN|WAS_IN]->(c:Object)
    WHERE CASE WHEN $as_of IS NULL THEN type(x) = 'IN' AND x.end IS NULL
               ELSE
                    // include: trace/version_known
                    AND (x.end IS NULL OR x.end > $as_of OR NOT coalesce(x.end_known <= $as_of, false)) END
    RETURN c.epc AS container ORDER BY x.start DESC LIMIT 1
  }
  RETURN i.gtin AS gtin, p.name AS product, p.product_line AS product_line, i.lot AS lot, container
}
