MATCH (s:EpcisSubscription)-[:OF_QUERY]->(q:EpcisQuery {name: $query_name})
RETURN s {.id, .dest, .schedule, .stream, .report_if_empty, .owner, .party, .since, .created, .last_run, .runs,
          .last_status, .last_error, .last_job, .pending_job} AS subscription
ORDER BY s.created, s.id
