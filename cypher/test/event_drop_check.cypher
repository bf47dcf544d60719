// Tests: events as a release before the :Check label stored them (migration 0005 sets it).
MATCH (e:Event)
REMOVE e:Check
