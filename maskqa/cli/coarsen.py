"""Placeholder: filled in by its command group."""
