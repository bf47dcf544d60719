// Capture jobs are looked up by id.
CREATE CONSTRAINT capture_job_id IF NOT EXISTS FOR (n:CaptureJob) REQUIRE n.id IS UNIQUE;

// Named EPCIS queries and their subscriptions.
CREATE CONSTRAINT epcis_query_name IF NOT EXISTS FOR (n:EpcisQuery) REQUIRE n.name IS UNIQUE;
CREATE CONSTRAINT epcis_subscription_id IF NOT EXISTS FOR (n:EpcisSubscription) REQUIRE n.id IS UNIQUE;
CREATE INDEX event_recorded IF NOT EXISTS FOR (n:Event) ON (n.recorded);
