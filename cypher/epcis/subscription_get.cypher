// One subscription with its query: what its delivery job reads when it runs.
MATCH (s:EpcisSubscription {id: $id})-[:OF_QUERY]->(q:EpcisQuery)
RETURN s {.id, .dest, .schedule, .stream, .report_if_empty, .secret, .owner, .party, .since, .last_run} AS subscription,
       q.name AS name, q.query AS query
