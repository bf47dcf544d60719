// code: DUPLICATE_SERIAL
// title: Serial commissioned more than once
// severity: high
// subject: item
// triggers: [ObjectEvent, TransformationEvent]
// params: {}
// query: rules/_item_history  # judged in the shared pass over item histories
//
// Commissioning (core.epcis.models.commissioning_roles) = an ObjectEvent naming the item with
// action ADD or the commissioning step, or the item as output of a TransformationEvent. A second
// one means a cloned or re-used serial number.
