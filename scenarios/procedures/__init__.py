"""Procedure drafts used by what-if scenarios (data only; not faithful encodings of a source)."""
