"""The Textual tutor. Importing this package is free: the app loads from ``cxotutor.tui.app``."""
