"""Injection patterns for languages other than English, one module per language."""
