"""The generated JSON Schema of the procedure format (data only)."""

__all__: list[str] = []
