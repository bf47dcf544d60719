"""EPCIS 2.0 event and document models, shared by loaders (which build them) and the domain."""
