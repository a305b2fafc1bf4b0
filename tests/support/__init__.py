"""Helpers the test tiers share: free ports, real local servers, process groups."""
