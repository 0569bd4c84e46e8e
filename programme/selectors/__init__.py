"""The programme's reads, one module per area (the plan, an official's sessions)."""
