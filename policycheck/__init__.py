"""Check law-enforcement use-of-force policies against rule packs such as EO 13929."""

__version__ = "0.1.0"
