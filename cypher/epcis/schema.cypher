// Capture jobs are looked up by id (applied idempotently when the capture service starts).
CREATE CONSTRAINT capture_job_id IF NOT EXISTS FOR (n:CaptureJob) REQUIRE n.id IS UNIQUE;
