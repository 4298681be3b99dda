"""Core: domain types, rules and services of mesodesk (no Qt, no reportlab)."""

__version__ = "0.1.0"
