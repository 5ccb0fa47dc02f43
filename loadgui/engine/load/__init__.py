"""Load generation: runs in this process or in worker processes, patterns, keys, the mix."""
