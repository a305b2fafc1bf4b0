"""The DynamoDB single-table adapter of the repository port, one module per feature."""
