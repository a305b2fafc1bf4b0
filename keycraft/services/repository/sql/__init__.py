"""The SQLModel/SQLite adapter of the repository port, one module per feature."""
