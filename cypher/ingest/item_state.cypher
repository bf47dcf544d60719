// Store each item's current place and status (as recall/where computes them with no
// as-of) on the item, so a recall scope reads one property set per serial instead of
// walking every event of the serial and of its containers. Shipments are flattened:
// ship_ms[k] is a shipment's time and ship_to[k] its destinations joined by spaces. An empty
// list comes as null: no property (as the bulk importer stores it).
UNWIND $rows AS r
MATCH (i:Object {epc: r.epc}) USING INDEX i:Object(epc)
SET i.state_site = r.site, i.state_status = r.status, i.state_direct = r.direct,
    i.state_ship_ms = r.ship_ms, i.state_ship_to = r.ship_to,
    // where it went (recall/item_places: what trace/places counts for it), one tagged list
    // (tracegraph/recalls/state.py `where`): a trace unites one property per item; and the format
    i.state_where = r.where, i.state_v = $version,
    // from when on the state is also the state as of any moment (tracegraph/recalls/state.py `store`)
    i.state_known = datetime(r.known),
    // all a scope counts, in one property (recall/fast_scope groups by it: one read per serial
    // instead of six): site, status, lot, gtin, then "ms destinations" per shipment
    // (fields split by U+001F, shipments ended by U+001E: neither occurs in a URI)
    i.state_key = coalesce(r.site, '') + '\u001f' + r.status + '\u001f' + coalesce(i.lot, '') + '\u001f' +
                  coalesce(i.gtin, '') + '\u001f' +
                  reduce(s = '', k IN range(0, size(coalesce(r.ship_ms, [])) - 1) | s + toString(r.ship_ms[k]) + ' ' + r.ship_to[k] + '\u001e')
