// What grading and routing need about each subject (item, container, lot or party):
// product line, region and type of its latest place, latest disposition (events declared
// erroneous do not count), whether a saved recall scope includes it, whether an active hold covers it.
UNWIND $subjects AS s
OPTIONAL MATCH (o:Object {epc: s}) USING INDEX o:Object(epc)
OPTIONAL MATCH (lot:Lot {epc: s}) USING INDEX lot:Lot(epc)
OPTIONAL MATCH (party:Party {epc: s}) USING INDEX party:Party(epc)
CALL (o) {
  OPTIONAL MATCH (o)<-[:OBSERVED]-(e:Event) WHERE NOT coalesce(e.error_declared, false)
  WITH e ORDER BY e.time DESC, e.event_id DESC LIMIT 1
  RETURN e AS last
}
OPTIONAL MATCH (site:Site {epc: coalesce(last.biz_location, last.read_point)})
WITH s, o, lot, party, last, site,
     coalesce(head(COLLECT { MATCH (o)-[:OF_PRODUCT]->(p:Product) RETURN p }),
              head(COLLECT { MATCH (lot)-[:OF_PRODUCT]->(p:Product) RETURN p })) AS product
RETURN s AS subject,
       product.product_line AS product_line,
       coalesce(site.region, party.region) AS region,
       coalesce(site.site_type, party.role) AS site_type,
       last.disposition AS disposition,
       EXISTS { (o)<-[:INCLUDES]-(:RecallScope) } AS recalled,
       EXISTS { MATCH (h:Hold)-[:HOLDS]->(x) WHERE (x = o OR x = lot) AND h.released IS NULL } AS held
