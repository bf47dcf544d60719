"""The EPCIS 2.0 query interface: SimpleEventQuery, named queries and subscriptions."""
