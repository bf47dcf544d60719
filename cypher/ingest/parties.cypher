UNWIND $rows AS r
MERGE (p:Party {epc: r.epc})
SET p += r.props
