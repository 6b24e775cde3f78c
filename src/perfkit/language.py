"""The two languages of every report and message: Chinese (zh) and English (en)."""

from __future__ import annotations

from typing import Literal

Language = Literal["zh", "en"]
LANGUAGES: tuple[str, ...] = ("zh", "en")


def pick(lang: str, *, zh: str, en: str) -> str:
    """Return the text in ``lang``.

    Parameters
    ----------
    lang : {"zh", "en"}
        The engagement's language.
    zh, en : str
        The same sentence in Chinese and English; ``str.format`` fields are left to the caller.

    Examples
    --------
    >>> pick("en", zh="部门", en="Department")
    'Department'
    """
    return zh if lang == "zh" else en
