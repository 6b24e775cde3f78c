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
            raise ValueError(
                f"attainment.cap ({self.cap}) must be above attainment.floor ({self.floor})"
            )
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
    promotion_top_grades: int = Field(
        1, ge=1, description="how many of the best grades may be promoted"
    )
    bonus_multipliers: dict[str, float] | None = Field(
        None,
        description="bonus multiplier per grade; default 1.5/1.2/1.0/0.6/0.0 spread over the grades",
    )
    merit_factors: dict[str, float] | None = Field(
        None,
        description="merit-matrix factor per grade; default 1.5/1.25/1.0/0.5/0.0 spread over the grades",
    )
    compa_bands: tuple[float, ...] = Field((0.9, 1.1), description="compa-ratio band edges, rising")
    compa_factors: tuple[float, ...] | None = Field(
        None,
        description="merit factor per compa-ratio band, lowest band first; default 1.25 .. 0.75",
    )
    impact_groups: tuple[str, ...] = Field(
        ("gender", "location"), description="employee columns checked for adverse impact of rewards"
    )

    @field_validator("bonus_multipliers", "merit_factors")
    @classmethod
    def _non_negative_factors(cls, value: dict[str, float] | None) -> dict[str, float] | None:
        if value is not None:
            bad = {k: v for k, v in value.items() if v < 0}
            if bad:
                raise ValueError(f"multipliers must be >= 0; got {bad}")
        return value

    @model_validator(mode="after")
    def _bands_consistent(self) -> Rewards:
        edges = list(self.compa_bands)
        if edges != sorted(set(edges)) or any(e <= 0 for e in edges):
            raise ValueError(f"rewards.compa_bands must be positive and rising; got {edges}")
        if self.compa_factors is not None:
            factors = list(self.compa_factors)
            if len(factors) != len(edges) + 1:
                raise ValueError(
                    f"rewards.compa_factors needs {len(edges) + 1} factors (one per band); got {len(factors)}"
                )
            if any(f < 0 for f in factors) or factors != sorted(factors, reverse=True):
                raise ValueError(
                    f"rewards.compa_factors must be >= 0 and fall as the band rises; got {factors}"
                )
        return self


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
        default_factory=lambda: {
            "manager": 0.5,
            "peer": 0.2,
            "report": 0.1,
            "customer": 0.1,
            "self": 0.1,
        }
    )
    include_self_in_score: bool = False
    score_mix: ScoreMix = ScoreMix()
    attainment: Attainment = Attainment()
    grades: tuple[Grade, ...] = DEFAULT_GRADES
    rewards: Rewards = Rewards()
    thresholds: dict[str, float | dict[str, float]] = Field(default_factory=dict)
    columns: dict[str, dict[str, str]] = Field(default_factory=dict)
    values: dict[str, dict[str, dict[str, str]]] = Field(default_factory=dict)
    tables: dict[str, str] = Field(default_factory=dict)

    @field_validator("columns", "values", "rating_labels", mode="before")
    @classmethod
    def _text_keys(cls, value: Any) -> Any:
        # YAML reads a bare 1 or yes as a number or a boolean; a client's header or label is text.
        return _keys_as_text(value)

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

    @model_validator(mode="after")
    def _reward_grades_known(self) -> EngagementSettings:
        names = self.grade_names
        for key in ("bonus_multipliers", "merit_factors"):
            given = getattr(self.rewards, key)
            if given is None:
                continue
            if set(given) != set(names):
                raise ValueError(
                    f"rewards.{key} must give one value per grade {names}; got {sorted(given)}"
                )
            values = [given[n] for n in names]
            if values != sorted(values, reverse=True):
                raise ValueError(
                    f"rewards.{key} must not rise from the best grade to the worst; got {values}"
                )
        return self

    @field_validator("columns", "values", "tables")
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


def _keys_as_text(value: Any) -> Any:
    if not isinstance(value, dict):
        return value
    return {_yaml_text(k): _keys_as_text(v) if isinstance(v, dict) else v for k, v in value.items()}


def _yaml_text(key: Any) -> Any:
    if isinstance(key, bool):
        return "true" if key else "false"
    if isinstance(key, float) and key.is_integer():
        return str(int(key))
    return str(key) if isinstance(key, int | float) else key


def _both(zh: str, en: str, lang: str | None) -> str:
    """A settings message in the engagement's language, or in both when it is not known yet."""
    if lang in ("zh", "en"):
        return zh if lang == "zh" else en
    return f"{zh}\n{en}"


def _describe_error(error: dict[str, Any], lang: str | None) -> str:
    key = ".".join(str(p) for p in error["loc"]) or "(top level)"
    got = error.get("input")
    message = error["msg"].removeprefix("Value error, ")
    if error["type"] == "extra_forbidden":
        return _both(
            f"未知的键 '{key}'（得到 {got!r}）；请删除或检查拼写",
            f"unknown key '{key}' (got {got!r}); remove it or check its spelling",
            lang,
        )
    return _both(
        f"键 '{key}'：得到 {got!r}；期望 {message}",
        f"key '{key}': got {got!r}; expected {message}",
        lang,
    )


def parse_settings(
    data: dict[str, Any] | None, *, source: str = SETTINGS_FILE
) -> EngagementSettings:
    """Return validated settings from a mapping, as read from YAML.

    Raises
    ------
    SettingsError
        Naming every key that is unknown, mistyped or impossible, with what it got and expects.
    """
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise SettingsError(
            _both(
                f"{source}：顶层应是键值映射；得到 {type(data).__name__}",
                f"{source}: expected a mapping of keys to values at the top; got {type(data).__name__}",
                None,
            )
        )
    lang = data.get("language") if data.get("language") in ("zh", "en") else None
    try:
        return EngagementSettings(**data)
    except ValidationError as exc:
        lines = [_describe_error(e, lang) for e in exc.errors()]
        raise SettingsError(f"{source}: " + "; ".join(lines)) from None


def settings_path(path: str | Path) -> Path | None:
    """Return the settings file of a client: ``engagement.yaml`` in a folder; for a workbook
    ``<stem>.yaml`` beside it, else ``engagement.yaml`` in its folder; None when there is none."""
    path = Path(path)
    if path.is_dir():
        candidates = [path / SETTINGS_FILE]
    else:
        candidates = [path.with_suffix(".yaml"), path.parent / SETTINGS_FILE]
    return next((c for c in candidates if c.is_file()), None)


def read_settings_file(path: str | Path) -> EngagementSettings:
    """Read settings from one YAML file.

    Raises
    ------
    SettingsError
        Malformed YAML (naming the file and line) or invalid settings.
    """
    path = Path(path)
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise SettingsError(
            _both(
                f"{path.name}：不是 UTF-8 文本；请另存为 UTF-8",
                f"{path.name}: is not UTF-8 text; save it as UTF-8",
                None,
            )
        ) from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        if mark:
            zh = f"{path.name} 第 {mark.line + 1} 行第 {mark.column + 1} 列：YAML 格式错误（{problem}）"
            en = f"{path.name} line {mark.line + 1}, column {mark.column + 1}: malformed YAML ({problem})"
        else:
            zh, en = (
                f"{path.name}：YAML 格式错误（{problem}）",
                f"{path.name}: malformed YAML ({problem})",
            )
        raise SettingsError(_both(zh, en, None)) from None
    return parse_settings(data, source=path.name)


def load_settings(path: str | Path) -> EngagementSettings:
    """Read the settings of a client folder or workbook (see :func:`settings_path`).

    Returns the defaults when there is no settings file; a YAML file may be given directly.

    Raises
    ------
    SettingsError
        Malformed YAML (naming the file and line) or invalid settings.
    """
    path = Path(path)
    if path.is_file() and path.suffix.lower() in (".yaml", ".yml"):
        return read_settings_file(path)
    found = settings_path(path)
    return read_settings_file(found) if found is not None else EngagementSettings()
