"""The one error family the library raises; the CLI turns each into one line on stderr."""

from __future__ import annotations


class PolicyCheckError(Exception):
    """Base class: a problem with an input or a rule pack that the user can act on."""


class UnreadableDocument(PolicyCheckError):
    """A file that cannot be read as a policy (wrong type, damaged, empty)."""


class UnsupportedFileType(UnreadableDocument):
    """The bytes are not PDF, DOCX, plain text or Markdown."""


class EncryptedDocument(UnreadableDocument):
    """A PDF that needs a user password to open."""


class NeedsOCR(UnreadableDocument):
    """A PDF whose pages carry no text layer at all."""


class DocumentTooLarge(UnreadableDocument):
    """A file over a configured size or expansion limit."""


class RulePackError(PolicyCheckError):
    """A rule pack that is missing, malformed or fails validation."""


class CheckTimedOut(PolicyCheckError):
    """A file whose check ran past the per-file time limit of a batch."""
