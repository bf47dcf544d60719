MATCH (q:EpcisQuery {name: $query_name})
CREATE (s:EpcisSubscription {id: $id, dest: $dest, schedule: $schedule, stream: $stream,
                             report_if_empty: $report_if_empty, secret: $secret, owner: $owner, party: $party,
                             since: datetime($since), created: datetime(), runs: 0})-[:OF_QUERY]->(q)
RETURN s.id AS id
