// Fragment (included, never run alone; graph/queries.py `// include:`): a predicate, true when
// genealogy link `r` was known at $as_of (always when $as_of is null): the event that made it had
// happened and been recorded by then (genealogy/links_columns_*, the closure's links as of).
// A link an error declaration undid is a WAS_INTO copy (ingest/declare_errors): not a link now;
// as of a moment, one until it was `retracted`.
($as_of IS NULL AND type(r) <> 'WAS_INTO' OR
 $as_of IS NOT NULL AND (r.retracted IS NULL OR r.retracted > $as_of) AND
 (type(r) IN ['INTO', 'WAS_INTO'] AND EXISTS { MATCH (e:Event {event_id: r.event_id})
                                               WHERE e.time <= $as_of AND e.recorded <= $as_of } OR
  // a binding made by its commissioning events (HAS_ITEM.events, ingest/lot_members); one stored
  // before they were kept: by the item's (the link's end's) first commissioning
  type(r) = 'HAS_ITEM' AND CASE WHEN r.events IS NULL
    THEN EXISTS { MATCH ()-[r]->(i)<-[o:OBSERVED]-(e:Event)
                  WHERE o.role IN ['epc', 'output'] AND e.time <= $as_of
                    AND e.recorded <= $as_of AND e.time = i.commissioned }
    ELSE EXISTS { MATCH (e:Event) WHERE e.event_id IN r.events AND e.time <= $as_of AND e.recorded <= $as_of }
  END))
