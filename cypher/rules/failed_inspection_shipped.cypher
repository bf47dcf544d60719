// code: FAILED_INSPECTION_SHIPPED
// title: Shipped after failing inspection
// severity: high
// subject: item
// triggers: [ObjectEvent, AggregationEvent, TransformationEvent, TransactionEvent, AssociationEvent]
// params: {failed: [non_conformant, damaged], cleared: [conformant]}
// query: rules/_item_history  # judged in the shared pass over item histories
//
// A shipping event that saw the item after an event gave it a failed disposition,
// with no clearing disposition in between (both seen directly or via a container).
