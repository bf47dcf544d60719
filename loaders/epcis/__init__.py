"""EPCIS 2.0 capture: parsing, validation, hashing."""
