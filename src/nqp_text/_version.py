"""The version of nqp_text, in a module of its own so that any layer may read it.

Example:
    >>> from nqp_text._version import __version__
    >>> __version__.count(".")
    2
"""

__version__ = "0.1.0"
