"""Write a sample client folder: the tables as CSV, engagement.yaml, README.md and truth.json."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import yaml

from perfkit.errors import UsageError
from perfkit.language import LANGUAGES, pick
from perfkit.sample.generation import Sample, generate_sample
from perfkit.settings import SETTINGS_FILE

TRUTH_FILE = "truth.json"

_PLANTED = {
    "KPI_WEIGHTS_NOT_100": (
        "岗位「{subject}」的指标权重合计为 {total}(应为 100)",
        "role '{subject}': KPI weights sum to {total} (should be 100)",
    ),
    "KPI_COUNT_OUT_OF_RANGE": (
        "岗位「{subject}」有 {count} 个指标(建议 3–8 个)",
        "role '{subject}': {count} KPIs (3–8 advised)",
    ),
    "KPI_NOT_MEASURABLE": (
        "指标 {subject}(岗位「{role}」)定义模糊,没有目标值",
        "KPI {subject} (role '{role}'): vague, with no target",
    ),
    "KPI_TARGET_TOO_EASY": (
        "指标 {subject}(岗位「{role}」)目标过低,几乎人人达成",
        "KPI {subject} (role '{role}'): a target nearly everyone beats",
    ),
    "KPI_TARGET_TOO_HARD": (
        "指标 {subject}(岗位「{role}」)目标过高,几乎无人达成",
        "KPI {subject} (role '{role}'): a target almost nobody reaches",
    ),
    "KPI_NO_DISCRIMINATION": (
        "指标 {subject}(岗位「{role}」)结果几乎没有差异",
        "KPI {subject} (role '{role}'): results barely vary",
    ),
    "KPI_REDUNDANT": (
        "指标 {subject}(岗位「{role}」)高度相关,重复考核",
        "KPIs {subject} (role '{role}'): track each other",
    ),
    "OBJECTIVE_UNCOVERED": (
        "战略目标 {subject} 没有任何指标支撑",
        "objective {subject}: no KPI links to it",
    ),
    "PERSPECTIVE_MISSING": (
        "平衡计分卡的学习与成长维度(learning)没有任何指标权重",
        "the balanced scorecard's learning perspective carries no KPI weight",
    ),
    "RATER_LENIENT": (
        "经理 {subject}({department})给 {ratees} 名下属的评分比其他评价人高约 1 分",
        "manager {subject} ({department}) rates {ratees} reports about 1 point above other raters",
    ),
    "RATER_SEVERE": (
        "经理 {subject}({department})给 {ratees} 名下属的评分比其他评价人低约 1 分",
        "manager {subject} ({department}) rates {ratees} reports about 1 point below other raters",
    ),
    "RATER_CENTRAL_TENDENCY": (
        "评价人 {subject}({department})几乎给所有人打中间分 3 分",
        "rater {subject} ({department}) gives nearly everyone the middle score, 3",
    ),
    "RATER_HALO": (
        "评价人 {subject}({department})给同一人的每项能力打相同的分(晕轮效应)",
        "rater {subject} ({department}) gives each person one score on every competency (halo)",
    ),
    "SELF_INFLATION": (
        "{subject}的员工自评比他人评价高约 1.5 分",
        "the employees of {subject} rate themselves about 1.5 points above what others give them",
    ),
    "GRADE_DISTRIBUTION_SKEWED": (
        "{subject}给出的整体评级(employees.rating)明显偏高",
        "{subject} gives far more generous overall ratings (employees.rating)",
    ),
    "ADVERSE_IMPACT": (
        "女性员工获得高评级(employees.rating 4–5)的比例明显低于男性(gender:F)",
        "women get top ratings (employees.rating 4–5) far less often than men (gender:F)",
    ),
    "PAY_PERFORMANCE_MISALIGNED": (
        "调薪幅度(last_increase_pct)与绩效无关",
        "pay increases (last_increase_pct) ignore performance",
    ),
}


def is_sample_folder(folder: str | Path) -> bool:
    """Return whether a folder holds a previous sample (it has ``truth.json``)."""
    return (Path(folder) / TRUTH_FILE).is_file()


def write_sample(
    folder: str | Path, *, employees: int = 300, seed: int = 0, lang: str = "zh"
) -> Path:
    """Generate a sample client and write it into ``folder``.

    Writes one UTF-8 CSV per table, ``engagement.yaml``, ``README.md`` (what was planted, in the
    sample's language) and ``truth.json`` (the same, machine-readable). perfkit's loader ignores
    the last two.

    Parameters
    ----------
    folder : str or Path
        A new or empty folder, or the folder of a previous sample (which is overwritten).
    employees, seed, lang
        As for :func:`generate_sample`.

    Returns
    -------
    Path
        The folder.

    Raises
    ------
    UsageError
        When the folder holds other files than a previous sample's (perfkit never overwrites
        a client's data), is a file, or the parameters are invalid.
    """
    folder = Path(folder)
    shown = lang if lang in LANGUAGES else "en"
    if folder.exists() and not folder.is_dir():
        raise UsageError(
            pick(
                shown,
                zh=f"{folder} 是一个文件,不是文件夹。",
                en=f"{folder} is a file, not a folder.",
            )
        )
    if folder.is_dir() and any(folder.iterdir()) and not is_sample_folder(folder):
        raise UsageError(
            pick(
                shown,
                zh=f"{folder} 不是空文件夹,也不是之前生成的样本(缺少 {TRUTH_FILE}):perfkit 不会覆盖其中的数据。请换一个新文件夹。",
                en=f"{folder} is not empty and holds no previous sample (no {TRUTH_FILE}): perfkit will not "
                "overwrite its files. Choose a new folder.",
            )
        )
    sample = generate_sample(employees=employees, seed=seed, lang=lang)
    folder.mkdir(parents=True, exist_ok=True)
    for table, frame in sample.tables.items():
        _write(folder / f"{table}.csv", frame.to_csv(index=False, lineterminator="\n"))
    settings = yaml.safe_dump(sample.settings, allow_unicode=True, sort_keys=False)
    _write(folder / SETTINGS_FILE, settings)
    _write(folder / "README.md", describe_sample(sample))
    _write(folder / TRUTH_FILE, json.dumps(sample.truth, ensure_ascii=False, indent=1))
    return folder


def _write(path: Path, text: str) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)


def describe_sample(sample: Sample) -> str:
    """Return the sample's README: what it is, what was planted and where, in its language."""
    lang, truth = sample.lang, sample.truth
    tables = sample.tables
    n = len(tables["employees"])
    lines = [
        f"# {truth['client']}",
        "",
        pick(
            lang,
            zh=(
                f"这是 `perfkit sample` 生成的虚构客户(员工 {n} 人,随机种子 {truth['generator']['seed']}),"
                f"期间 {truth['periods'][0]}–{truth['periods'][-1]},当前期间 {truth['current_period']}。"
                "数据全部为合成数据。perfkit 读取数据时忽略本文件和 `truth.json`。"
            ),
            en=(
                f"A fictitious client written by `perfkit sample` ({n} employees, seed "
                f"{truth['generator']['seed']}), periods {truth['periods'][0]}–{truth['periods'][-1]}, "
                f"current period {truth['current_period']}. All data are synthetic. perfkit's loader "
                "ignores this file and `truth.json`."
            ),
        ),
        "",
        pick(
            lang,
            zh="## 埋设的问题(`truth.json` 的 `planted`)",
            en="## What was planted (`planted` in `truth.json`)",
        ),
        "",
    ]
    for item in truth["planted"]:
        zh, en = _PLANTED[item["code"]]
        lines.append(f"- `{item['code']}`: " + pick(lang, zh=zh, en=en).format(**item))
    over = truth["over_rated"]
    lines.append(
        "- "
        + pick(
            lang,
            zh=f"能力评分远高于 KPI 结果的员工({len(over)} 人,`over_rated`):",
            en=f"employees whose competency ratings run far above their KPI results "
            f"({len(over)}, `over_rated`): ",
        )
        + ", ".join(over[:30])
        + (" …" if len(over) > 30 else "")
    )
    counts = Counter(truth["trajectories"].values())
    shares = ", ".join(
        f"{name} {counts[name]}"
        for name in ("steady_high", "steady_mid", "steady_low", "rising", "declining")
    )
    lines += [
        "- "
        + pick(
            lang,
            zh=f"绩效轨迹(`trajectories`,各期潜在绩效见 `performance`):{shares}",
            en=f"performance trajectories (`trajectories`; latent performance per period in "
            f"`performance`): {shares}",
        ),
        "",
        pick(lang, zh="## 保持干净的部分", en="## Kept clean"),
        "",
        pick(
            lang,
            zh="其余评价人无系统偏差,其余指标目标合理、彼此不重复,其余部门的评级分布接近公司指导分布。"
            "以下问题未埋设:" + ", ".join(f"`{c}`" for c in truth["clean"]) + "。",
            en="Other raters are unbiased, other KPIs have sensible targets and do not duplicate each other, "
            "other departments' ratings follow the guideline distribution. Not planted: "
            + ", ".join(f"`{c}`" for c in truth["clean"])
            + ".",
        ),
        "",
        pick(lang, zh="## 文件", en="## Files"),
        "",
    ]
    lines += [
        f"- `{t}.csv`: {len(f):,} " + pick(lang, zh="行", en="rows") for t, f in tables.items()
    ]
    lines += [f"- `{SETTINGS_FILE}`", f"- `{TRUTH_FILE}`", ""]
    return "\n".join(lines)
