// How many alerts match the filters of alerts/list (for the page's total).
MATCH (a:Alert)
WHERE ($state IS NULL OR a.state = $state) AND ($rule IS NULL OR a.rule = $rule)
  AND ($severity IS NULL OR a.severity = $severity) AND ($team IS NULL OR a.team = $team)
  AND ($subject IS NULL OR a.subject = $subject)
  AND ($since IS NULL OR a.created >= $since) AND ($until IS NULL OR a.created < $until)
RETURN count(a) AS total
