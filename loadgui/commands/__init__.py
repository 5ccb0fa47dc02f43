"""The command line: one module a command (run, serve), the parser in main.py."""
