"""Stable pseudonyms for workshops and demos: a keyed hash of each employee id instead of a name."""

from __future__ import annotations

import hashlib
import hmac
import os
from collections.abc import Iterable

import pandas as pd

from perfkit.intake import Client
from perfkit.language import pick

#: Environment variable holding a secret key; without it, the key is derived from the client's name.
KEY_VARIABLE = "PERFKIT_PSEUDONYM_KEY"
#: Hex digits of a pseudonym; lengthened only for ids that would otherwise collide.
DIGITS = 4


def pseudonym_key(client_name: str) -> bytes:
    """Return the key of a client's pseudonyms: ``$PERFKIT_PSEUDONYM_KEY`` plus the client's name.

    The same client and key give the same pseudonyms on every run, so that a workshop's
    handouts and the report agree.
    """
    secret = os.environ.get(KEY_VARIABLE, "perfkit")
    return f"{secret}\x00{client_name}".encode()


def pseudonyms(employee_ids: Iterable[str], key: bytes, lang: str) -> dict[str, str]:
    """Return a stable pseudonym (``员工 A7F3`` / ``Employee A7F3``) for each employee id.

    Parameters
    ----------
    employee_ids : iterable of str
    key : bytes
        From :func:`pseudonym_key`.
    lang : {"zh", "en"}

    Returns
    -------
    dict of str to str
        Distinct pseudonyms: ids whose first digits collide get longer codes.

    Examples
    --------
    >>> names = pseudonyms(["E001", "E002"], b"k", "en")
    >>> names["E001"].startswith("Employee ")
    True
    """
    ids = sorted({str(i) for i in employee_ids})
    digests = {i: hmac.new(key, i.encode(), hashlib.sha256).hexdigest().upper() for i in ids}
    codes = {i: d[:DIGITS] for i, d in digests.items()}
    width = DIGITS
    while True:
        counts = pd.Series(codes).value_counts()
        clashes = set(counts[counts > 1].index)
        if not clashes or width >= 64:
            break
        width += 2
        codes = {i: (digests[i][:width] if c in clashes else c) for i, c in codes.items()}
    label = pick(lang, zh="员工", en="Employee")
    return {i: f"{label} {c}" for i, c in codes.items()}


def anonymize_client(client: Client, lang: str | None = None) -> dict[str, str]:
    """Replace every employee's name by a stable pseudonym, in place, and drop free-text comments.

    Parameters
    ----------
    client : Client
        Its ``employees.name`` is overwritten (added when absent); ``ratings.comment`` is
        blanked, since comments often name people.
    lang : {"zh", "en"}, optional
        The pseudonyms' language; the client's by default.

    Returns
    -------
    dict of str to str
        The pseudonym of each employee id.
    """
    employees = client.employees.copy()
    names = pseudonyms(
        employees["employee_id"].dropna(), pseudonym_key(client.title), lang or client.language
    )
    employees["name"] = employees["employee_id"].map(names).astype("str")
    client.tables["employees"] = employees
    ratings = client.table("ratings")
    if ratings is not None and "comment" in ratings:
        ratings = ratings.copy()
        ratings["comment"] = pd.Series(pd.NA, index=ratings.index, dtype="str")
        client.tables["ratings"] = ratings
    return names
