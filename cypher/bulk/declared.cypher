// Events the bulk-loaded documents declared erroneous: the properties ingest/declare_errors
// sets. Its packing and genealogy changes (WAS_IN and WAS_INTO included) were replayed before the
// import (tracegraph/bulk/graph.py).
UNWIND $rows AS r
MATCH (e:Event {event_id: r.event_id}) USING INDEX e:Event(event_id)
SET e.error_declared = true, e.error_declaration = r.declaration,
    e.declaration_time = r.declaration_time, e.declaration_reason = r.reason,
    e.corrective_event_ids = r.corrective, e.declared_at = datetime(r.declared_at)
