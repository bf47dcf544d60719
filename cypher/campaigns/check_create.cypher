// An effectiveness check: its level, the seed and the consignees drawn.
MATCH (c:RecallCampaign {id: $id})
CREATE (k:EffectivenessCheck {id: $check, campaign: $id, level: $level, percent: $percent, seed: $seed,
                              population: $population, created: datetime($now), created_by: $actor})
CREATE (c)-[:CHECKED_BY]->(k)
WITH k
UNWIND $sample AS site
MATCH (c:RecallCampaign {id: $id})-[:HAS_NOTICE]->(n:RecallNotice {site: site})
CREATE (k)-[:SAMPLES]->(n)
