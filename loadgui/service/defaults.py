"""The service's limits, in a module light enough for the CLI parser to import."""

DEFAULT_MAX_RUNS = 4  # runs at once; more are refused with 429
DEFAULT_HISTORY = 100  # finished runs kept (with their rows); older ones are forgotten
LATENCIES_LIMIT = 10_000  # most recent successful latencies /status?latencies=true lists
