"""One module per screen; each screen's stylesheet sits beside it."""
