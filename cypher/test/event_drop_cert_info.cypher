// Tests: events as a release before has_cert_info stored them (migration 0003 sets it).
MATCH (e:Event)
REMOVE e.has_cert_info
