// SimpleEventQuery (EPCIS 2.0). Every filter is a parameter, null when absent. $conds holds
// the filters on other fields, each {op, key, strings, nums, num} over the event's facet
// lists (tracegraph/epcis_query/facets.py); $epc_conds the MATCH_ filters on what it
// observed, each {roles, values, prefixes}; $attr_conds the HASATTR_/EQ_ATTR_ filters on the
// master data of its readPoint or bizLocation, each {field, attrs, values} (values null: the
// site has one of the attributes; else its attribute attrs[0] has one of the values).
// $party: a partner sees only events about objects its party shipped, received or holds (or
// that sat in such a container).
// Keyset paging on ($sort, event_id): $after_key/$after_id are the last row of the page before.
// A partner's events are found from its Party node (index seek) and what it handled, not by
// testing every event.
CALL () {
  WITH $party AS party WHERE party IS NULL
  MATCH (e:Event) RETURN e
  UNION
  MATCH (p:Party {epc: $party})
  USING INDEX p:Party(epc)
  CALL (p) {
    MATCH (f:Event)-[:SHIPMENT]->(p) RETURN f
    UNION
    MATCH (f:Event)-[:SHIPMENT]->(:Site)-[:OPERATED_BY]->(p) RETURN f
    UNION
    MATCH (f:Event)-[:AT]->(:Site)-[:OPERATED_BY]->(p) RETURN f
  }
  MATCH (f)-[:OBSERVED]->(:Object)<-[:IN*0..4]-(:Object)<-[:OBSERVED]-(e:Event)
  RETURN DISTINCT e
}
WITH e
WHERE ($types IS NULL OR e.type IN $types)
  AND ($ge_time IS NULL OR e.time >= $ge_time)
  AND ($lt_time IS NULL OR e.time < $lt_time)
  AND ($ge_record IS NULL OR e.recorded >= $ge_record)
  AND ($lt_record IS NULL OR e.recorded < $lt_record)
  AND ($actions IS NULL OR e.action IN $actions)
  AND ($biz_steps IS NULL OR e.biz_step IN $biz_steps)
  AND ($dispositions IS NULL OR e.disposition IN $dispositions)
  AND ($read_points IS NULL OR e.read_point IN $read_points)
  AND ($biz_locations IS NULL OR e.biz_location IN $biz_locations)
  AND ($wd_read_points IS NULL OR e.read_point IN $wd_read_points OR EXISTS {
        MATCH (s:Site)-[:PART_OF*1..8]->(p:Site) WHERE s.epc = e.read_point AND p.epc IN $wd_read_points })
  AND ($wd_biz_locations IS NULL OR e.biz_location IN $wd_biz_locations OR EXISTS {
        MATCH (s:Site)-[:PART_OF*1..8]->(p:Site) WHERE s.epc = e.biz_location AND p.epc IN $wd_biz_locations })
  AND ($event_ids IS NULL OR e.event_id IN $event_ids)
  AND all(c IN $epc_conds WHERE EXISTS {
        MATCH (e)-[o:OBSERVED]->(x:Object)
        WHERE o.role IN c.roles AND (x.epc IN c.values OR any(p IN c.prefixes WHERE x.epc STARTS WITH p)) })
  AND all(c IN $attr_conds WHERE EXISTS {
        MATCH (site:Site {epc: CASE c.field WHEN 'readPoint' THEN e.read_point ELSE e.biz_location END})
        WHERE CASE WHEN c.values IS NULL THEN any(a IN c.attrs WHERE site[a] IS NOT NULL)
                   ELSE toString(site[c.attrs[0]]) IN c.values END })
  AND all(c IN $conds WHERE
        CASE c.op
          WHEN 'EXISTS' THEN c.key IN coalesce(e.q_keys, [])
          WHEN 'EQ' THEN any(s IN c.strings WHERE s IN coalesce(e.q_str, []))
               OR any(i IN range(0, size(coalesce(e.q_nk, [])) - 1) WHERE e.q_nk[i] = c.key AND e.q_nv[i] IN c.nums)
          WHEN 'PREFIX' THEN any(s IN coalesce(e.q_str, []) WHERE s IN c.strings
               OR any(p IN c.prefixes WHERE s STARTS WITH p))
          ELSE any(i IN range(0, size(coalesce(e.q_nk, [])) - 1) WHERE e.q_nk[i] = c.key AND
               CASE c.op WHEN 'GT' THEN e.q_nv[i] > c.num WHEN 'GE' THEN e.q_nv[i] >= c.num
                         WHEN 'LT' THEN e.q_nv[i] < c.num ELSE e.q_nv[i] <= c.num END)
        END)
WITH e, (CASE WHEN $order_by = 'recordTime' THEN e.recorded ELSE e.time END).epochMillis AS k
WITH e, CASE WHEN $descending THEN -k ELSE k END AS sort
WHERE $after_key IS NULL OR sort > $after_key OR (sort = $after_key AND e.event_id > $after_id)
RETURN e.event_id AS event_id, sort, e.raw AS raw, e.context AS context, e.recorded AS recorded,
       e.error_declaration AS declaration
ORDER BY sort, e.event_id
LIMIT $limit
