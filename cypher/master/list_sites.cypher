// Current sites master data, or (with $at) the version valid at that time.
MATCH (n:Site)
WHERE $key IS NULL OR n.epc = $key
OPTIONAL CALL (n) {
  MATCH (n)-[:VERSION]->(v:SiteVersion)
  WHERE $at IS NOT NULL AND v.valid_from <= $at AND (v.valid_to IS NULL OR v.valid_to > $at)
  RETURN v ORDER BY v.valid_from DESC LIMIT 1
}
WITH n, v WHERE $at IS NULL OR v IS NOT NULL
RETURN CASE WHEN $at IS NULL THEN n {.*} ELSE v {.*} END AS record,
       COUNT { (n)-[:VERSION]->(:SiteVersion) } AS versions
ORDER BY n.epc
SKIP $offset LIMIT $limit
