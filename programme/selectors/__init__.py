"""The programme's reads, one module per area."""
