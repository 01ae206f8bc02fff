"""The differential runner's parts: RESP on the wire, scripts, server processes,
comparison, random sequences."""
