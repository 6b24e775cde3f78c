"""The sample's KPI system and strategic objectives, with the planted KPI flaws."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from perfkit.sample.catalog import (
    FILLER_KPIS,
    OBJECTIVES,
    SHARED_KPI,
    SHARED_WEIGHT,
    SOURCES,
    KpiDef,
)
from perfkit.sample.flaws import EASY_SHIFT, NO_SPREAD, Plan, vague_definitions
from perfkit.sample.world import World

TYPICAL_BIAS = 0.25  # a typical KPI's hit rate is about Φ(0.25) = 60%
BIAS_RANGE = (-0.35, 0.75)  # hit rates from about 36% to 77%
SPEC_COLUMNS = (
    "kpi_id",
    "role",
    "kind",
    "target",
    "direction",
    "spread",
    "bias",
    "loading",
    "bound",
    "decimals",
    "source",
)


@dataclass
class KpiSystem:
    """The kpis and objectives tables, and how each KPI's results are generated.

    ``spec`` has one row per KPI: ``role`` (index into the world's roles, -1 for ``*``), ``kind``
    (``normal``, ``easy``, ``hard``, ``flat``, ``vague``, ``redundant``), the result model's
    ``target``, ``direction``, ``spread`` (relative), ``bias`` (in result SDs: the hit rate is about
    Φ(bias)), ``loading`` on latent performance, ``bound``, ``decimals`` and, for the redundant
    KPI, the row of the KPI it tracks (``source``).
    """

    kpis: pd.DataFrame
    objectives: pd.DataFrame
    spec: pd.DataFrame
    planted: list[dict]


def _weights(n: int, total: int, rng: np.random.Generator) -> np.ndarray:
    """``n`` weights, multiples of 5 and at least 5, summing to ``total``."""
    units = total // 5
    raw = rng.dirichlet(np.full(n, 4.0)) * (units - n)
    counts = np.floor(raw).astype(int) + 1
    counts[np.argsort(-(raw - np.floor(raw)))[: units - counts.sum()]] += 1
    return counts * 5


def _number(value: float) -> str:
    return f"{value:.0f}" if float(value).is_integer() else f"{value:g}"


def _describe(lang: str, name: str, unit: str, direction: str, target: float) -> str:
    amount = f"{_number(target)}{unit}" if unit == "%" else f"{_number(target)} {unit}"
    if lang == "zh":
        return f"每季度{name}{'不低于' if direction == 'higher' else '不高于'} {amount}"
    return f"Quarterly {name[0].lower() + name[1:]} of {'at least' if direction == 'higher' else 'at most'} {amount}"


def _decimals(kpi: KpiDef, target: float) -> int:
    if kpi.count or target >= 1000:
        return 0
    return 2 if target < 5 else 1


def _centre_bias(rows: list[dict], defs: list[KpiDef]) -> None:
    """Centre a role's hit rates on about 60% so no role's results are easier on average.

    Whole-number KPIs often tie with their target, so they get a quarter SD less.
    """
    if not rows:
        return
    shift = TYPICAL_BIAS - np.mean([r["_bias"] for r in rows])
    counts = {d.zh for d in defs if d.count} | {d.en for d in defs if d.count}
    for row in rows:
        tie = 0.25 if row["name"] in counts else 0.0
        row["_bias"] = float(
            np.clip(row["_bias"] + shift - tie, BIAS_RANGE[0] - tie, BIAS_RANGE[1] - tie)
        )


def build_kpi_system(world: World, plan: Plan, rng: np.random.Generator) -> KpiSystem:
    """Define each role's KPIs (plus the shared ``*`` KPI), the objectives, and plant the flaws."""
    lang = world.lang
    keys = [o[0] for o in OBJECTIVES]
    objective_ids = {k: f"O{i:02d}" for i, k in enumerate(keys, start=1)}
    uncovered = plan.uncovered_objective
    sibling = next(
        o[0]
        for o in OBJECTIVES
        if o[3] == dict((o[0], o[3]) for o in OBJECTIVES)[uncovered] and o[0] != uncovered
    )
    vague = vague_definitions(lang, rng)
    rows: list[dict] = []
    planted: list[dict] = []

    def add(
        role: int,
        kpi: KpiDef | None,
        weight: float,
        kind: str,
        source: int = -1,
        vague_text: tuple[str, str] | None = None,
        role_name: str | None = None,
    ) -> None:
        kpi_id = f"K{len(rows) + 1:03d}"
        row: dict = {
            "kpi_id": kpi_id,
            "role": role_name if role_name else world.role_name(role),
            "weight": weight,
            "_role": role,
            "_kind": kind,
            "_source": source,
        }
        if vague_text is not None:
            row.update(
                name=vague_text[0],
                description=vague_text[1],
                direction="higher",
                perspective="process",
                objective_id=objective_ids[sibling if uncovered == "quality" else "quality"],
                data_source=pick_source("hr"),
                _spread=0.08,
                _bias=0.0,
                _loading=0.5,
                _target=80.0,
                _bound=100.0,
                _decimals=0,
            )
            rows.append(row)
            return
        assert kpi is not None
        name = kpi.zh if lang == "zh" else kpi.en
        unit = kpi.unit_zh if lang == "zh" else kpi.unit_en
        target = kpi.target * (10 if kpi.money and lang == "en" else 1)
        objective = sibling if kpi.objective == uncovered else kpi.objective
        spread, bias = kpi.spread, rng.uniform(-0.5, 0.5)
        if kind in ("easy", "hard"):
            spread, bias = min(spread, 0.12), EASY_SHIFT if kind == "easy" else -EASY_SHIFT
        elif kind == "flat":
            spread, bias = NO_SPREAD, 0.0
        row.update(
            name=name,
            unit=unit,
            target=target,
            direction=kpi.direction,
            perspective=kpi.perspective,
            objective_id=objective_ids[objective],
            data_source=pick_source(kpi.source),
            description=_describe(lang, name, unit, kpi.direction, target),
            _spread=spread,
            _bias=bias,
            _loading=rng.uniform(0.75, 0.85),
            _target=target,
            _bound=kpi.bound if kpi.bound is not None else np.nan,
            _decimals=_decimals(kpi, target) + (kind == "flat"),
        )
        if rng.random() < 0.5 and kind == "normal":
            factor = 0.8 if kpi.direction == "higher" else 1.2
            row["threshold"] = round(target * factor, row["_decimals"])
            row["stretch"] = round(target * (2 - factor), row["_decimals"])
            if kpi.bound is not None:
                row["stretch"] = min(row["stretch"], kpi.bound)
        rows.append(row)

    def pick_source(key: str) -> str:
        return SOURCES[key][0 if lang == "zh" else 1]

    for role, (_, role_def) in enumerate(world.roles):
        defs = list(role_def.kpis)
        if role == plan.count_role:
            defs += list(FILLER_KPIS[: max(0, 9 - len(defs))])
        kinds = ["normal"] * len(defs)
        for kind in ("easy", "hard", "flat"):
            if plan.kpi_roles[kind] == role:
                fits = [
                    i
                    for i, k in enumerate(defs)
                    if not k.count and (kind != "flat" or k.target >= 20)
                ]
                kinds[fits[0] if fits else 0] = kind
        extra = 0
        redundant = role == plan.redundant_role
        n_vague = sum(v == role for v in plan.vague_roles)
        total = 80 if role == plan.weights_role else 100 - SHARED_WEIGHT
        weights = _weights(len(defs) + redundant + n_vague, total, rng)
        first = len(rows)
        for i, (kpi, kind) in enumerate(zip(defs, kinds, strict=True)):
            add(role, kpi, weights[i], kind)
            for kind_name in ("easy", "hard", "flat"):
                if kind == kind_name:
                    code = {
                        "easy": "KPI_TARGET_TOO_EASY",
                        "hard": "KPI_TARGET_TOO_HARD",
                        "flat": "KPI_NO_DISCRIMINATION",
                    }[kind_name]
                    planted.append(
                        {"code": code, "subject": rows[-1]["kpi_id"], "role": rows[-1]["role"]}
                    )
        if redundant:
            base_row = next(
                (r for r in rows[first:] if r["direction"] == "higher" and r["_kind"] == "normal"),
                rows[first],
            )
            base = defs[rows.index(base_row) - first]
            tracked = KpiDef(
                base.zh + "达成率",
                base.en + " attainment",
                "%",
                "%",
                "higher",
                100,
                0.0,
                base.perspective,
                base.objective,
                base.source,
            )
            add(role, tracked, weights[len(defs)], "redundant", source=rows.index(base_row))
            planted.append(
                {
                    "code": "KPI_REDUNDANT",
                    "subject": f"{base_row['kpi_id']},{rows[-1]['kpi_id']}",
                    "role": rows[-1]["role"],
                }
            )
            extra += 1
        _centre_bias([r for r in rows[first:] if r["_kind"] == "normal"], defs)
        for v in range(n_vague):
            slot = plan.vague_roles.index(role) + v
            add(role, None, weights[len(defs) + extra + v], "vague", vague_text=vague[min(slot, 1)])
            planted.append(
                {
                    "code": "KPI_NOT_MEASURABLE",
                    "subject": rows[-1]["kpi_id"],
                    "role": rows[-1]["role"],
                }
            )
    add(-1, SHARED_KPI, SHARED_WEIGHT, "normal", role_name="*")

    weights_name, count_name = world.role_name(plan.weights_role), world.role_name(plan.count_role)
    planted += [
        {"code": "KPI_WEIGHTS_NOT_100", "subject": weights_name, "total": 80 + SHARED_WEIGHT},
        {
            "code": "KPI_COUNT_OUT_OF_RANGE",
            "subject": count_name,
            "count": sum(r["_role"] == plan.count_role for r in rows) + 1,
        },
        {"code": "OBJECTIVE_UNCOVERED", "subject": objective_ids[uncovered]},
        {"code": "PERSPECTIVE_MISSING", "subject": "learning"},
    ]
    frame = pd.DataFrame(rows)
    kpi_columns = [
        "kpi_id",
        "name",
        "role",
        "weight",
        "target",
        "direction",
        "threshold",
        "stretch",
        "unit",
        "perspective",
        "objective_id",
        "data_source",
        "description",
    ]
    for column in kpi_columns:
        if column not in frame:
            frame[column] = np.nan
    spec = pd.DataFrame(
        {
            "kpi_id": frame["kpi_id"],
            "role": frame["_role"],
            "kind": frame["_kind"],
            "target": frame["_target"],
            "direction": frame["direction"],
            "spread": frame["_spread"],
            "bias": frame["_bias"],
            "loading": frame["_loading"],
            "bound": frame["_bound"],
            "decimals": frame["_decimals"],
            "source": frame["_source"],
        }
    )
    objectives = pd.DataFrame(
        {
            "objective_id": [objective_ids[o[0]] for o in OBJECTIVES],
            "name": [o[1] if lang == "zh" else o[2] for o in OBJECTIVES],
            "perspective": [o[3] for o in OBJECTIVES],
            "weight": [o[4] for o in OBJECTIVES],
        }
    )
    return KpiSystem(frame[kpi_columns], objectives, spec, planted)
