"""Fast tests of pure code: no servers, no network."""
