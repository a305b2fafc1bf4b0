"""Integration tier: the built app and real local servers, over HTTP."""
