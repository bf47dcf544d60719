// Events are immutable: created once (new IDs only), never updated.
UNWIND $rows AS r
CREATE (e:Event)
SET e = r.props, e:$(r.type)
WITH e, r
CALL (e, r) {
  WITH e, r WHERE r.props.biz_location IS NOT NULL
  MERGE (s:Site {epc: r.props.biz_location})
  CREATE (e)-[:AT]->(s)
}
