// Deliveries of a campaign's notices, newest first.
MATCH (:RecallCampaign {id: $id})-[:HAS_NOTICE]->(:RecallNotice)-[:DELIVERED_BY]->(d:NoticeDelivery)
RETURN d {.*} AS delivery
ORDER BY d.at DESC, d.site
