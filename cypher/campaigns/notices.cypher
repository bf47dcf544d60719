// A campaign's notices (only one party's when $party is set), by site.
MATCH (:RecallCampaign {id: $id})-[:HAS_NOTICE]->(n:RecallNotice)
WHERE $party IS NULL OR n.party = $party
RETURN n {.*} AS notice
ORDER BY n.site
