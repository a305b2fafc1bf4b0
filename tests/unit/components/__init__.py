"""Unit tests of component builders."""
