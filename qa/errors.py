"""The project's exceptions: one base class and a few specific kinds.

Every message names what is at fault (a file, a document, a setting) and how to fix it, so that
the CLI and the UI can show it as it is, without a traceback. Nothing here decides *when* to raise.
"""

from __future__ import annotations


class QAError(Exception):
    """Base class for every expected failure in this project."""


class ConfigError(QAError):
    """A configuration file, environment variable or option has a bad or unknown value."""


class DocumentError(QAError):
    """A document cannot be read or holds no usable text (the batch goes on without it)."""


class IndexMissingError(QAError):
    """No index has been built yet at the configured location."""


class IndexMismatchError(QAError):
    """The index on disk was built with settings that differ from the configured ones."""


class ModelError(QAError):
    """The language model cannot be found, loaded or reached."""


class QuestionError(QAError):
    """The question cannot be answered as asked (empty, too long, ...)."""
