// code: RECEIVED_NOT_SHIPPED
// title: Received without an earlier shipment
// severity: medium
// subject: item
// triggers: [ObjectEvent, AggregationEvent, TransformationEvent, TransactionEvent, AssociationEvent]
// params: {}
// query: rules/_item_history  # judged in the shared pass over item histories
//
// A receiving event that saw the item (itself or a container holding it then)
// with no shipping event at or before it that saw the item (same way).
