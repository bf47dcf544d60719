// A campaign and how many notices it has.
MATCH (c:RecallCampaign {id: $id})
RETURN c {.*} AS campaign, COUNT { (c)-[:HAS_NOTICE]->() } AS notices
