// Deleting a query ends its subscriptions.
MATCH (q:EpcisQuery {name: $query_name})
OPTIONAL MATCH (s:EpcisSubscription)-[:OF_QUERY]->(q)
WITH q, collect(s) AS subs, count(s) AS n
FOREACH (s IN subs | DETACH DELETE s)
DETACH DELETE q
RETURN n AS subscriptions
