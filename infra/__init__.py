"""KeyCraft's AWS infrastructure (CDK app): ``python -m infra.app`` synthesizes it."""
