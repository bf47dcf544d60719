// A saved recall scope: the question, when it was asked, and the serials it found.
CREATE (rs:RecallScope {id: $id, created: datetime(), query: $query, as_of: $as_of, serials: $count})
