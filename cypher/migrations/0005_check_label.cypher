// Release 0.5 (issue 16): inspections (bizStep inspecting) and certificate-carrying events
// (has_cert_info, migration 0003) are labelled `:Check` (writer.is_check), set at ingest
// (cypher/ingest/events) and by the bulk loader, so the genealogy tells an upstream lot's few
// checks from the thousands of events that took from it by the label alone. Events stored before
// get it here (a re-run finds none left to label).
// (No semicolons inside strings here: the file is split on them.)
MATCH (e:Event) WHERE NOT e:Check AND (e.biz_step = 'inspecting' OR e.has_cert_info)  // writer.is_check
CALL (e) {
  SET e:Check
} IN TRANSACTIONS OF 10000 ROWS;
