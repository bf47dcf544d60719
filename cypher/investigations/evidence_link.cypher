// Evidence that points at an event, an alert, a saved recall scope or a hold; nothing when the target is unknown.
MATCH (i:Investigation {id: $id})
CALL () {
  WITH 1 AS one WHERE $kind = 'event'
  MATCH (t:Event {event_id: $target})
  RETURN t
  UNION
  WITH 1 AS one WHERE $kind = 'alert'
  MATCH (t:Alert {id: $target})
  RETURN t
  UNION
  WITH 1 AS one WHERE $kind = 'scope'
  MATCH (t:RecallScope {id: $target})
  RETURN t
  UNION
  WITH 1 AS one WHERE $kind = 'hold'
  MATCH (t:Hold {id: $target})
  RETURN t
}
CREATE (i)-[:HAS_EVIDENCE]->(e:InvestigationEvidence)-[:REFERS_TO]->(t)
SET e = $evidence, i.updated = $now
RETURN e {.*} AS evidence
