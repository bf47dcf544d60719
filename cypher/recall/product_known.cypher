// Whether a GTIN names anything: product master data, a lot or a serial (index-backed each).
RETURN EXISTS { MATCH (:Product {gtin: $gtin}) } OR EXISTS { MATCH (:Lot {gtin: $gtin}) }
    OR EXISTS { MATCH (:Item {gtin: $gtin}) } AS known
