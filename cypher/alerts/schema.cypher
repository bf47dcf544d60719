// Keys the alert and hold queries look up by (applied by tracegraph.alerts.service.ensure_schema).
CREATE CONSTRAINT alert_id IF NOT EXISTS FOR (n:Alert) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT alert_open_key IF NOT EXISTS FOR (n:Alert) REQUIRE n.open_key IS UNIQUE;
CREATE INDEX alert_rule IF NOT EXISTS FOR (n:Alert) ON (n.rule);
CREATE INDEX alert_created IF NOT EXISTS FOR (n:Alert) ON (n.created);
CREATE CONSTRAINT delivery_id IF NOT EXISTS FOR (n:Delivery) REQUIRE n.id IS UNIQUE;
CREATE INDEX delivery_state IF NOT EXISTS FOR (n:Delivery) ON (n.state);
CREATE CONSTRAINT hold_id IF NOT EXISTS FOR (n:Hold) REQUIRE n.id IS UNIQUE;
CREATE INDEX hold_target IF NOT EXISTS FOR (n:Hold) ON (n.kind, n.target);
CREATE CONSTRAINT rules_queue_name IF NOT EXISTS FOR (n:RulesQueue) REQUIRE n.name IS UNIQUE;
CREATE CONSTRAINT rules_pending_id IF NOT EXISTS FOR (n:RulesPending) REQUIRE n.id IS UNIQUE;
