// A serialized item no event names (as master data or a partial restore could leave one).
CREATE (:Object:Item {epc: $epc, gtin: $gtin, serial: $serial})
