"""Constructs and the stack that make up KeyCraft's AWS deployment."""
