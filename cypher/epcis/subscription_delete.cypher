MATCH (s:EpcisSubscription {id: $id})-[:OF_QUERY]->(:EpcisQuery {name: $query_name})
DETACH DELETE s
RETURN count(*) AS deleted
