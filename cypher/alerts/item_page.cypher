// One page of serialized items in EPC order, after $after: a full sweep judges item
// rules page by page, so no rule's transaction holds a million items' histories at once.
MATCH (i:Object) WHERE i.epc > $after AND i:Item
RETURN i.epc AS epc ORDER BY i.epc LIMIT $limit
