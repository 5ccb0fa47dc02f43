"""loadgui: a desktop HTTP load tester."""

__version__ = "0.1.0"
