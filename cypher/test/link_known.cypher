// Tests: every packing, genealogy link and lot binding with when it was known (ingest/pack, unpack,
// genealogy, lot_members, declare_errors; migration 0006), in one order.
MATCH (a)-[x:IN|WAS_IN|INTO|WAS_INTO|HAS_ITEM]->(b)
RETURN a.epc AS source, type(x) AS type, b.epc AS target, coalesce(x.start_event, x.event_id) AS made_by,
       x.start AS start, x.retracted AS retracted, x.known AS known, x.end_known AS end_known
ORDER BY source, type, target, made_by, start, retracted
