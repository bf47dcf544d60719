// Partner verification of serials: for each ask {n, epc, party}, one indexed lookup of
// the item, then its neighbourhood. Concurrent verifications share one query
// (graph/coalesce.py); ask.n says which ask a row answers. `holder` asks whether
// ask.party shipped, received or holds it: an event that saw the item (directly, or
// through a container holding it then, up to 4 levels) shipped from/to the party or one
// of its sites, or happened at a site it operates.
UNWIND $asks AS ask
MATCH (i:Object {epc: ask.epc}) USING INDEX i:Object(epc) WHERE i:Item  // the unique constraint is on :Object(epc)
OPTIONAL MATCH (l:Lot)-[:HAS_ITEM]->(i)
OPTIONAL MATCH (i)-[:OF_PRODUCT]->(p:Product)
OPTIONAL MATCH (p)-[:MADE_BY]->(m:Party)
RETURN ask.n AS n, i.epc AS epc, i.gtin AS gtin, i.serial AS serial, i.commissioned IS NOT NULL AS commissioned,
  p.name AS product, m.name AS manufacturer, m.epc AS manufacturer_epc, l.lot AS lot, l.expiry AS expiry,
  m IS NOT NULL AND EXISTS {
    MATCH (i)<-[:OBSERVED {role: 'epc'}]-(e:ObjectEvent)-[:AT]->(:Site)-[:OPERATED_BY]->(m)
    WHERE e.biz_step = 'commissioning'  // made there (capture.writer.making_roles)
    UNION
    MATCH (i)<-[:OBSERVED {role: 'output'}]-(e:Event)-[:AT]->(:Site)-[:OPERATED_BY]->(m)
  } AS by_manufacturer,
  EXISTS {
    MATCH (i)<-[:OBSERVED {role: 'epc'}]-(e:ObjectEvent {action: 'DELETE'})
  } AS decommissioned,
  EXISTS { MATCH (:RecallScope)-[:INCLUDES]->(i) } AS recalled,
  EXISTS {
    MATCH (i)-[r:IN*0..4]->(:Object)<-[:HOLDS]-(h:Hold)
    WHERE h.released IS NULL AND all(y IN r WHERE y.end IS NULL)
    UNION
    MATCH (i)<-[:HAS_ITEM]-(:Lot)<-[:HOLDS]-(h:Hold) WHERE h.released IS NULL
  } AS on_hold,
  CASE WHEN ask.party IS NULL THEN null ELSE EXISTS {
    MATCH (i) (()-[r:IN]->()){0,4} (:Object)<-[:OBSERVED]-(e:Event)
    WHERE all(x IN r WHERE x.start <= e.time AND (x.end IS NULL OR e.time <= x.end))
      AND (EXISTS { (e)-[:SHIPMENT]->(:Party {epc: ask.party}) }
           OR EXISTS { (e)-[:SHIPMENT]->(:Site)-[:OPERATED_BY]->(:Party {epc: ask.party}) }
           OR EXISTS { (e)-[:AT]->(:Site)-[:OPERATED_BY]->(:Party {epc: ask.party}) })
  } END AS holder
