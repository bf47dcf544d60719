// Move a campaign to a new state when it is in one of $from.
MATCH (c:RecallCampaign {id: $id})
WHERE c.state IN $from
SET c.state = $to, c.updated = datetime($now)
SET c += $extra
RETURN c.id AS id
