// CAPAs, newest first. Overdue: not closed, and its own due date or an open action's is before $today.
MATCH (c:Capa)
WHERE ($state IS NULL OR c.state = $state)
  AND ($owner IS NULL OR c.owner = $owner)
  AND ($investigation IS NULL OR EXISTS { MATCH (c)-[:ADDRESSES]->(i:Investigation) WHERE i.id = $investigation })
WITH c, COLLECT { MATCH (c)-[:HAS_ACTION]->(a:CapaAction)
                  WHERE c.state <> 'closed' AND a.status IN ['planned', 'in_progress'] AND a.due < $today
                  RETURN a.id AS action ORDER BY a.due, a.id } AS late
WITH c, late, c.state <> 'closed' AND (coalesce(c.due < $today, false) OR size(late) > 0) AS overdue
WHERE $overdue IS NULL OR overdue = $overdue
RETURN c {.id, .title, .state, .owner, .due, .created} AS capa, overdue, late AS overdue_actions,
       COLLECT { MATCH (c)-[:ADDRESSES]->(i:Investigation) RETURN i.id AS i ORDER BY i } AS investigations
ORDER BY c.created DESC, c.id DESC
SKIP $offset LIMIT $limit
