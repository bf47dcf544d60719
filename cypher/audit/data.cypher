// Is there data that only audited writes make? (Asked when the trail is empty.)
MATCH (n:$any($labels))
RETURN labels(n) AS labels
LIMIT 1
