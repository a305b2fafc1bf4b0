"""Tests of the CDK stack: the synthesized template, asserted and linted."""
