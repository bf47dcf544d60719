// A consignee's acknowledgement of its notice.
MATCH (:RecallCampaign {id: $id})-[:HAS_NOTICE]->(n:RecallNotice {site: $site})
SET n.state = 'acknowledged', n.acknowledged = datetime($now), n.acknowledged_by = $actor,
    n.units_on_hand = $units_on_hand, n.ack_note = $note
RETURN n.id AS id
