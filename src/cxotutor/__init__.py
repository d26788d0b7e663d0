"""cxotutor: practise for executive technology interviews in the terminal.

Importing the package is cheap on purpose: nothing here loads Textual,
SQLAlchemy or the content; each front end imports what it needs.
"""

__version__ = "0.1.0"
