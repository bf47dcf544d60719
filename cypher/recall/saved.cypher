MATCH (rs:RecallScope {id: $id})
RETURN rs.id AS id, rs.created AS created, rs.query AS query, rs.as_of AS as_of, rs.serials AS serials
