"""The bottom layer every other package shares: settings, errors, identifiers, EPCIS models, JSON codec.

It imports nothing of tracegraph, loaders, graph or api."""
