// Tests: the alerts open after a load, as comparable facts.
MATCH (a:Alert)
RETURN a.rule AS rule, a.subject AS subject, a.state AS state, a.severity AS severity, a.events AS events
ORDER BY rule, subject
