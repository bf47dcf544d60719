"""EPCIS 2.0 REST binding: capture jobs and the event query."""
