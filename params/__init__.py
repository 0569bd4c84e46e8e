"""Untrusted parameters of requests read as typed values: database ids in URL paths (the
``<id:...>`` converter, registered by importing ``params.converters``) and bounded integers
in query strings (``parse_int``). Imports Django only, so every app may use it."""
