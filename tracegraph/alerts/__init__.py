"""Alerts: one open alert per rule and subject, graded, routed to a team, notified by webhook."""
