MATCH (f:Finding)
WHERE ($rule IS NULL OR f.rule = $rule) AND ($open IS NULL OR f.open = $open)
  AND ($subject IS NULL OR f.subject = $subject)
RETURN f {.*} AS finding
ORDER BY f.created DESC, f.id
SKIP $offset LIMIT $limit
