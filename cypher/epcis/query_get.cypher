MATCH (q:EpcisQuery {name: $query_name})
RETURN q.name AS name, q.query AS query, q.owner AS owner, q.party AS party, q.created AS created
