"""Archive: errors about the archive itself, beside the input errors every stage raises."""

from __future__ import annotations

from publisher.errors import PublisherError


class ArchiveError(PublisherError):
    """The archive cannot do what was asked: a stored file is damaged, a rebuild differs, or a
    snapshot cannot be stored so that it loads again."""

    exit_code = 1


class NotArchivedError(PublisherError):
    """The folder is not an archive, or the archive holds no such report, date or revision."""


class IndexDamagedError(ArchiveError):
    """index.sqlite is missing, unreadable, or disagrees with the revision folders it indexes;
    the folders are the truth, and `publisher archive reindex DIR` rebuilds it from them."""
