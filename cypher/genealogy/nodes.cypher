// What the genealogy shows of each node (the genealogy/details fragment), for the nodes a
// size-limited walk kept when genealogy/tree_* left the details out (a big closure).
UNWIND $ids AS id
MATCH (n) WHERE elementId(n) = id
WITH collect(n) AS ns
// include: genealogy/details
RETURN detail_ids, kinds, products, made_ids, made_times, made_types, made_sites, made_points, product_rows,
       site_rows, check_of, check_ids, check_times, check_steps, check_dispositions, check_sites, check_raws
