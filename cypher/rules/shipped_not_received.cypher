// code: SHIPPED_NOT_RECEIVED
// title: Shipped and not received in time
// severity: medium
// subject: item
// triggers: [ObjectEvent, AggregationEvent, TransformationEvent, TransactionEvent, AssociationEvent]
// params: {max_hours: 504}
// query: rules/_item_history  # judged in the shared pass over item histories
//
// A shipping event that saw the item with no receiving event seeing it within
// max_hours after; only judged once max_hours have passed ($now), so a periodic
// sweep is what catches shipments that simply never arrive.
