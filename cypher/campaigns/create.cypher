// A recall campaign, linked to its investigation when one is named and exists.
CREATE (c:RecallCampaign {id: $id, created: datetime($now), created_by: $actor, state: 'open',
                          classification: $classification, type: $type, depth: $depth, reason: $reason,
                          health_hazard: $health_hazard, action: $action, starts: $starts,
                          investigation_id: $investigation_id, firm: $firm, own_sites: $own_sites,
                          scope_serials: $scope_serials})
WITH c
CALL (c) {
  MATCH (i:Investigation {id: $investigation_id})
  MERGE (c)-[:CONCERNS]->(i)
}
RETURN c.id AS id
