"""Helpers shared by the tests (importable because tests/conftest.py puts tests/ on sys.path)."""
