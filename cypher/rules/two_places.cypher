// code: TWO_PLACES
// title: Seen at two sites closer in time than plausible travel
// severity: high
// subject: item
// triggers: [ObjectEvent, AggregationEvent, TransformationEvent, TransactionEvent, AssociationEvent]
// params: {max_minutes: 60}
// query: rules/_item_history  # judged in the shared pass over item histories
//
// Every event that saw the item (itself or a container holding it at the time),
// sorted by UTC time; two consecutive sightings at different places less than
// max_minutes apart fire. Checking consecutive pairs is enough: any closer
// cross-site pair contains a consecutive one at least as close.
