// Investigations, newest first, filtered.
MATCH (i:Investigation)
WHERE ($state IS NULL OR i.state = $state)
  AND ($owner IS NULL OR i.owner = $owner)
  AND ($team IS NULL OR i.team = $team)
  AND ($subject IS NULL OR EXISTS { MATCH (i)-[:CONCERNS]->(n) WHERE n.epc = $subject })
  AND ($alert IS NULL OR EXISTS { MATCH (i)-[:OPENED_FROM]->(a:Alert) WHERE a.id = $alert })
RETURN i {.id, .title, .state, .owner, .team, .created, .updated} AS investigation
ORDER BY i.created DESC, i.id DESC
SKIP $offset LIMIT $limit
