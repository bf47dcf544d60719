// code: CHANNEL_MISMATCH
// title: Shipped to a party that is not an authorized consignee
// severity: high
// subject: item
// triggers: [ObjectEvent, AggregationEvent, TransformationEvent, TransactionEvent, AssociationEvent]
// params: {skip_unmanaged_shippers: true}
// query: rules/_item_history  # judged in the shared pass over item histories
//
// Shipper: source party, else the operator of the source site, else of the event's
// site. Consignees: destination parties and operators of destination sites. Master
// data: (shipper)-[:AUTHORIZED {products, channel, valid_from, valid_to}]->(consignee);
// products ['*'] means all. Shippers with no AUTHORIZED edge at all are not judged
// while skip_unmanaged_shippers is on (their partners are simply not recorded yet).
