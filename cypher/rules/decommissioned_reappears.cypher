// code: DECOMMISSIONED_REAPPEARS
// title: Decommissioned serial seen again
// severity: high
// subject: item
// triggers: [ObjectEvent, AggregationEvent, TransformationEvent, TransactionEvent, AssociationEvent]
// params: {}
// query: rules/_item_history  # judged in the shared pass over item histories
//
// After the first ObjectEvent DELETE naming the item, any later event that saw it
// (itself or a container holding it then) fires.
