// Release 0.3 (issue 16): events carry `has_cert_info` (the event has a certificationInfo), set at
// ingest and by the bulk loader, so the genealogy lists certificate-carrying events without
// reading every event's raw JSON. Events stored before get it from their raw JSON: compact
// JSON (core/fastjson) writes a key as "certificationInfo": with no space.
// (No semicolons inside strings here: the file is split on them.)
MATCH (e:Event) WHERE e.has_cert_info IS NULL
CALL (e) {
  SET e.has_cert_info = coalesce(e.raw CONTAINS '"certificationInfo":', false)
} IN TRANSACTIONS OF 10000 ROWS;
