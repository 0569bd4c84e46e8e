"""The programme's services, one module per area (registration, check-in, closing, ...)."""
