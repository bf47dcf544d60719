// Tests: objects and lots as a release before made_event stored them (migration 0004 sets it).
MATCH (n) WHERE n:Object OR n:Lot
REMOVE n.made_event, n.made_time
