// A campaign's effectiveness checks with each sampled consignee and its result.
MATCH (:RecallCampaign {id: $id})-[:CHECKED_BY]->(k:EffectivenessCheck)
WHERE $check IS NULL OR k.id = $check
OPTIONAL MATCH (k)-[s:SAMPLES]->(n:RecallNotice)
WITH k, n, s ORDER BY n.site
RETURN k {.*} AS check,
       [x IN collect([n.site, s.result, s.note, s.checked_by]) WHERE x[0] IS NOT NULL] AS sample
ORDER BY check.created
