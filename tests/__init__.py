"""KeyCraft's test suite, in tiers: unit, contract, integration, e2e."""
