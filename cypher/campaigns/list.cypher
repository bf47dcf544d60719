// Campaigns, newest first.
MATCH (c:RecallCampaign)
WHERE $state IS NULL OR c.state = $state
RETURN c {.*} AS campaign, COUNT { (c)-[:HAS_NOTICE]->() } AS notices
ORDER BY c.created DESC
LIMIT $limit
