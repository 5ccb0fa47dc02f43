"""HTTP clients behind one seam: `send(...) -> Outcome`, never an exception."""
