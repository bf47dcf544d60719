// Issue the draft notices (all of them, or those of $sites).
MATCH (:RecallCampaign {id: $id})-[:HAS_NOTICE]->(n:RecallNotice {state: 'draft'})
WHERE $sites IS NULL OR n.site IN $sites
SET n.state = 'issued', n.issued = datetime($now), n.issued_by = $actor
RETURN collect(n.id) AS ids
