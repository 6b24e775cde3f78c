"""``engagement.yaml``: the settings of one client engagement, each with a documented default."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from perfkit.errors import SettingsError
from perfkit.findings import DEFAULT_THRESHOLDS

SETTINGS_FILE = "engagement.yaml"
TABLES: tuple[str, ...] = (
    "employees",
    "kpis",
    "results",
    "ratings",
    "objectives",
    "competencies",
    "training_catalog",
)
RELATIONS: tuple[str, ...] = ("self", "manager", "peer", "report", "customer")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Scale(_Strict):
    """The rating scale of ``ratings.score`` and ``employees.rating``."""

    min: float = 1.0
    max: float = 5.0

    @model_validator(mode="after")
    def _ordered(self) -> Scale:
        if self.max <= self.min:
            raise ValueError(f"scale.max ({self.max}) must be above scale.min ({self.min})")
        return self


class ScoreMix(_Strict):
    """Weights of the KPI and competency scores in the composite score; they sum to 1."""

    kpi: float = Field(0.7, ge=0, le=1)
    competency: float = Field(0.3, ge=0, le=1)

    @model_validator(mode="after")
    def _sums_to_one(self) -> ScoreMix:
        if abs(self.kpi + self.competency - 1) > 1e-6:
            raise ValueError(
                f"score_mix.kpi + score_mix.competency must be 1; got {self.kpi + self.competency:g}"
            )
        return self


class Attainment(_Strict):
    """Bounds of a KPI's attainment (1.0 = on target)."""

    floor: float = Field(0.0, ge=0)
    cap: float = Field(1.2, gt=0)

    @model_validator(mode="after")
    def _cap_above_floor(self) -> Attainment:
        if self.cap <= self.floor:
            raise ValueError(f"attainment.cap ({self.cap}) must be above attainment.floor ({self.floor})")
        return self


class Grade(_Strict):
    """One grade: by guideline share (forced distribution) or by a minimum score (cutoffs)."""

    grade: str
    share: float | None = Field(None, ge=0, le=1)
    min_score: float | None = None

    @model_validator(mode="after")
    def _one_rule(self) -> Grade:
        if (self.share is None) == (self.min_score is None):
            raise ValueError(f"grade {self.grade!r} needs exactly one of 'share' or 'min_score'")
        return self


DEFAULT_GRADES = (
    Grade(grade="S", share=0.10),
    Grade(grade="A", share=0.20),
    Grade(grade="B", share=0.40),
    Grade(grade="C", share=0.20),
    Grade(grade="D", share=0.10),
)


class Rewards(_Strict):
    """Reward budgets and rules (绩效奖励)."""

    bonus_pool: float | None = Field(None, ge=0, description="default: the sum of target bonuses")
    merit_budget_pct: float = Field(4.0, ge=0, le=100, description="% of total base salary")
    currency: str = "CNY"
    promotion_min_years: float = Field(1.0, ge=0, description="years since hire for promotion")


class EngagementSettings(_Strict):
    """The settings of one client engagement; every key has a default.

    See ``docs/settings.md`` for the table of keys. Unknown keys, wrong types and impossible
    values are refused with a :class:`~perfkit.errors.SettingsError` naming the key.
    """

    client: str | None = None
    language: Literal["zh", "en"] = "zh"
    current_period: str | None = None
    scale: Scale = Scale()
    rating_labels: dict[str, float] = Field(default_factory=dict)
    rater_weights: dict[Literal["self", "manager", "peer", "report", "customer"], float] = Field(
        default_factory=lambda: {"manager": 0.5, "peer": 0.2, "report": 0.1, "customer": 0.1, "self": 0.1}
    )
    include_self_in_score: bool = False
    score_mix: ScoreMix = ScoreMix()
    attainment: Attainment = Attainment()
    grades: tuple[Grade, ...] = DEFAULT_GRADES
    rewards: Rewards = Rewards()
    thresholds: dict[str, float | dict[str, float]] = Field(default_factory=dict)
    columns: dict[str, dict[str, str]] = Field(default_factory=dict)
    values: dict[str, dict[str, dict[str, str]]] = Field(default_factory=dict)

    @field_validator("current_period", mode="before")
    @classmethod
    def _period_text(cls, value: Any) -> Any:
        return None if value is None else str(value)

    @field_validator("rater_weights")
    @classmethod
    def _non_negative_weights(cls, value: dict[str, float]) -> dict[str, float]:
        bad = {k: v for k, v in value.items() if v < 0}
        if bad:
            raise ValueError(f"rater weights must be >= 0; got {bad}")
        if value and sum(value.values()) <= 0:
            raise ValueError("at least one rater weight must be above 0")
        return value

    @field_validator("grades")
    @classmethod
    def _grades_consistent(cls, value: tuple[Grade, ...]) -> tuple[Grade, ...]:
        if not value:
            raise ValueError("at least one grade is needed")
        names = [g.grade for g in value]
        if len(set(names)) != len(names):
            raise ValueError(f"grade names must be unique; got {names}")
        kinds = {g.share is None for g in value}
        if len(kinds) > 1:
            raise ValueError("grades must all use 'share' or all use 'min_score', not a mix")
        if value[0].share is not None:
            total = sum(g.share for g in value)
            if abs(total - 1) > 1e-6:
                raise ValueError(f"grade shares must sum to 1; got {total:g}")
        else:
            cuts = [g.min_score for g in value]
            if cuts != sorted(cuts, reverse=True):
                raise ValueError(f"grade min_score values must fall from best to worst; got {cuts}")
        return value

    @field_validator("thresholds")
    @classmethod
    def _known_thresholds(cls, value: dict[str, Any]) -> dict[str, Any]:
        for code, override in value.items():
            if code not in DEFAULT_THRESHOLDS or not DEFAULT_THRESHOLDS[code]:
                known = sorted(c for c, p in DEFAULT_THRESHOLDS.items() if p)
                raise ValueError(f"unknown finding code {code!r}; expected one of {known}")
            if isinstance(override, dict):
                unknown = set(override) - set(DEFAULT_THRESHOLDS[code])
                if unknown:
                    raise ValueError(
                        f"{code} has no threshold {sorted(unknown)}; it has {sorted(DEFAULT_THRESHOLDS[code])}"
                    )
        return value

    @field_validator("columns", "values")
    @classmethod
    def _known_tables(cls, value: dict[str, Any]) -> dict[str, Any]:
        unknown = set(value) - set(TABLES)
        if unknown:
            raise ValueError(f"unknown table(s) {sorted(unknown)}; expected among {list(TABLES)}")
        return value

    @property
    def grade_names(self) -> list[str]:
        """The grades from best to worst."""
        return [g.grade for g in self.grades]


def _describe_error(error: dict[str, Any]) -> str:
    key = ".".join(str(p) for p in error["loc"]) or "(top level)"
    got = error.get("input")
    message = error["msg"].removeprefix("Value error, ")
    if error["type"] == "extra_forbidden":
        return f"unknown key '{key}' (got {got!r}); remove it or check its spelling"
    return f"key '{key}': got {got!r}; expected {message}"


def parse_settings(data: dict[str, Any] | None, *, source: str = SETTINGS_FILE) -> EngagementSettings:
    """Return validated settings from a mapping, as read from YAML.

    Raises
    ------
    SettingsError
        Naming every key that is unknown, mistyped or impossible, with what it got and expects.
    """
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise SettingsError(f"{source}: expected a mapping of keys to values at the top; got {type(data).__name__}")
    try:
        return EngagementSettings(**data)
    except ValidationError as exc:
        lines = [_describe_error(e) for e in exc.errors()]
        raise SettingsError(f"{source}: " + "; ".join(lines)) from None


def load_settings(folder: str | Path) -> EngagementSettings:
    """Read ``engagement.yaml`` from a client folder; the defaults when there is none.

    Raises
    ------
    SettingsError
        Malformed YAML (naming the file and line) or invalid settings.
    """
    path = Path(folder) / SETTINGS_FILE
    if not path.is_file():
        return EngagementSettings()
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise SettingsError(f"{path.name}: is not UTF-8 text; save it as UTF-8") from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise SettingsError(f"{path.name}{where}: malformed YAML ({problem})") from None
    return parse_settings(data, source=path.name)
