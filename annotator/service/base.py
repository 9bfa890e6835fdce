"""What every part of the service shares: the engine, sessions, the current user, lookups."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

from sqlalchemy import Engine, select
from sqlalchemy.engine import URL
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from annotator.database import describe
from annotator.errors import AnnotatorError
from annotator.models import Annotator, Document, Label


def aware(value: datetime | str) -> datetime:
    """Stored times are naive UTC; records carry the zone so they print unambiguously.

    Also takes SQLite's stored text (read raw by hot queries, where parsing it in C is
    several times faster than the generic type conversion).
    """
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value


class ProjectBase:
    """Holds the connection to one project database and the name of the current user."""

    def __init__(self, engine: Engine, url: URL, user: str) -> None:
        self._engine = engine
        self._url = url
        self._sessions = sessionmaker(engine, expire_on_commit=False)
        self.user = _valid_user(user)

    @property
    def location(self) -> str:
        """The project's file path, or its database URL with the password hidden."""
        return describe(self._url)

    @property
    def engine(self) -> Engine:
        return self._engine

    def set_user(self, name: str) -> None:
        """Change who the following writes are attributed to."""
        self.user = _valid_user(name)

    def close(self) -> None:
        self._engine.dispose()

    def __enter__(self) -> ProjectBase:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """One session and one transaction: committed on success, rolled back on any error."""
        try:
            with self._sessions() as session, session.begin():
                yield session
        except IntegrityError as exc:
            raise AnnotatorError(f"the change conflicts with existing data: {exc.orig}") from exc
        except OperationalError as exc:
            raise AnnotatorError(f"the database refused the change: {exc.orig}") from exc

    @contextmanager
    def reading(self) -> Iterator[Session]:
        with self._sessions() as session:
            yield session

    # Lookups shared by the parts; each raises AnnotatorError for an unknown name or id.

    @staticmethod
    def _document_row(session: Session, document_id: str) -> Document:
        row = session.scalar(select(Document).where(Document.uuid == str(document_id)))
        if row is None:
            raise AnnotatorError(f"no document with id {document_id}")
        return row

    @staticmethod
    def _document_pk(session: Session, document_id: str) -> int:
        """The local key of a document, without loading its text."""
        pk = session.scalar(select(Document.id).where(Document.uuid == str(document_id)))
        if pk is None:
            raise AnnotatorError(f"no document with id {document_id}")
        return int(pk)

    @staticmethod
    def _label_row(session: Session, name: str) -> Label:
        row = session.scalar(select(Label).where(Label.name == name, Label.removed.is_(False)))
        if row is None:
            raise AnnotatorError(f"no label named {name!r}")
        return row

    @staticmethod
    def _annotator_row(session: Session, name: str) -> Annotator:
        """The annotator of that name, created on first use."""
        row = session.scalar(select(Annotator).where(Annotator.name == name))
        if row is None:
            row = Annotator(name=name)
            session.add(row)
            session.flush()
        return row


def _valid_user(name: str) -> str:
    cleaned = (name or "").strip()
    if not cleaned:
        raise AnnotatorError("the user name must not be empty")
    if len(cleaned) > 200:
        raise AnnotatorError("the user name is longer than 200 characters")
    if "|" in cleaned or any(c in cleaned for c in "\t\n\r"):
        # "A|B" names a pair of annotators in agreement reports.
        raise AnnotatorError(f"invalid user name {cleaned!r}: no '|', tabs or line breaks")
    return cleaned
