"""Wirewatch: raw news articles in, coded political events and alerts out, as Faust agents."""

__version__ = "0.1.0"
