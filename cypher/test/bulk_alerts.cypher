// Tests: the alerts open after a load, as comparable facts (open ones keep their open_key).
MATCH (a:Alert)
WHERE a.open_key IS NOT NULL
RETURN a.rule AS rule, a.subject AS subject, a.state AS state, a.severity AS severity, a.events AS events
ORDER BY rule, subject
