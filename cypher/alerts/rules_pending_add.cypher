// Incremental rules owed for a document, written in its ingest transaction: the
// evaluation runs after the commit (tracegraph.rules.service.run_pending), and a crash in between
// leaves this record for the next run. `scope`: what the events can change rule answers for
// (alerts/scope), as the writer found it; null: found when answered.
CREATE (:RulesPending {id: $id, at: datetime(), events: $events, types: $types, held: $held,
                       actor: $actor, subject: $subject, request_id: $request_id, scope: $scope})
