// Test helper: everything investigation and CAPA writes leave behind.
RETURN COUNT { MATCH (:Investigation) } AS investigations,
       COUNT { MATCH (:InvestigationEvidence) } AS evidence,
       COUNT { MATCH (:InvestigationFinding) } AS findings,
       COUNT { MATCH (:CaseEntry) } AS entries,
       COUNT { MATCH (:Capa) } AS capas,
       COUNT { MATCH (:CapaAction) } AS actions,
       COUNT { MATCH (:CapaVerification) } AS verifications,
       COUNT { MATCH ()-[:CONCERNS]->() } AS subjects,
       COUNT { MATCH (:AuditRecord) } AS audit,
       COLLECT { MATCH (i:Investigation) RETURN [i.id, i.state, i.rc_category, i.owner, i.title] } AS states,
       COLLECT { MATCH (c:Capa) RETURN [c.id, c.state] } AS capa_states,
       COLLECT { MATCH (a:CapaAction) RETURN [a.id, a.status, a.owner, a.due] } AS action_states
