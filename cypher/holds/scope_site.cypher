// Stock at a site now: objects whose latest event naming them was there, and what is
// packed inside them. (A site hold also stops any shipping from the site: holds/check.)
MATCH (s:Site {epc: $target})
OPTIONAL MATCH (s)<-[:AT]-(:Event)-[:OBSERVED]->(o:Object)
WITH DISTINCT s, o
CALL (o) {
  OPTIONAL MATCH (o)<-[:OBSERVED]-(e:Event)
  WITH e ORDER BY e.time DESC, e.event_id DESC LIMIT 1
  RETURN e AS last
}
WITH s, o WHERE last.biz_location = s.epc
OPTIONAL MATCH (o)<-[r:IN*1..4]-(x:Object)
WHERE all(y IN r WHERE y.end IS NULL)
WITH s, collect(DISTINCT o.epc) + collect(DISTINCT x.epc) AS epcs
RETURN reduce(a = [], e IN epcs | CASE WHEN e IN a THEN a ELSE a + e END) AS objects, [] AS lots
