// Keys the recall campaign queries look up by (applied by graph.schema.migrate).
CREATE CONSTRAINT recall_campaign_id IF NOT EXISTS FOR (n:RecallCampaign) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT recall_notice_id IF NOT EXISTS FOR (n:RecallNotice) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT notice_delivery_id IF NOT EXISTS FOR (n:NoticeDelivery) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT effectiveness_check_id IF NOT EXISTS FOR (n:EffectivenessCheck) REQUIRE n.id IS UNIQUE;
CREATE INDEX recall_campaign_created IF NOT EXISTS FOR (n:RecallCampaign) ON (n.created);
CREATE INDEX recall_notice_party IF NOT EXISTS FOR (n:RecallNotice) ON (n.party);
