// The result of checking one sampled consignee.
MATCH (:RecallCampaign {id: $id})-[:CHECKED_BY]->(k:EffectivenessCheck {id: $check})-[s:SAMPLES]->(n:RecallNotice {site: $site})
SET s.result = $result, s.note = $note, s.checked = datetime($now), s.checked_by = $actor
RETURN n.site AS site
