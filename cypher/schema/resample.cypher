// Ask Neo4j to resample indexes that many writes made outdated. After a big document
// on a young graph the planner otherwise believes key indexes empty (selectivity 0)
// and keeps plans that scan instead of seek until the background sampler catches up.
CALL db.resampleOutdatedIndexes()
