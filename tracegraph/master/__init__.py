"""Versioned master data: products, parties, sites and authorized trading relationships."""
