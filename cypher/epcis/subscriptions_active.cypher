// Subscriptions the scheduler or the stream hook runs, with their query.
MATCH (s:EpcisSubscription)-[:OF_QUERY]->(q:EpcisQuery)
WHERE ($stream IS NULL OR s.stream = $stream)
RETURN s {.id, .dest, .schedule, .stream, .report_if_empty, .secret, .owner, .party, .since, .last_run} AS subscription,
       q.name AS name, q.query AS query
