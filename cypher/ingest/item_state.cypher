// Store each item's current place and status (as recall/where computes them with no
// as-of) on the item, so a recall scope reads one property set per serial instead of
// walking every event of the serial and of its containers. Shipments are flattened:
// ship_ms[k] is a shipment's time and ship_to[k] its destinations joined by spaces.
UNWIND $rows AS r
MATCH (i:Object {epc: r.epc})
SET i.state_site = r.site, i.state_status = r.status, i.state_direct = r.direct,
    i.state_ship_ms = r.ship_ms, i.state_ship_to = r.ship_to
