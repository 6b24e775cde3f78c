"""An independent generator of unseen clients, in the contract's format, with planted truth."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

TRAJECTORIES = ("steady_high", "steady_mid", "steady_low", "rising", "declining")
MONTHS = [f"2025-{m:02d}" for m in range(1, 7)]
RATING_PERIODS = ["2025-03", "2025-06"]
PERSPECTIVES = ("financial", "customer", "process", "learning")

DEPARTMENTS = [
    "零售业务部",
    "对公业务部",
    "运营中心",
    "信息科技部",
    "风险合规部",
    "财富管理部",
    "渠道发展部",
]
ROLE_POOL = [
    ("客户经理", "financial"),
    ("柜面主管", "process"),
    ("运维工程师", "process"),
    ("风控专员", "process"),
    ("理财顾问", "financial"),
    ("渠道专员", "customer"),
    ("数据分析师", "learning"),
]
COMPETENCY_POOL = [
    "客户导向",
    "团队协作",
    "沟通表达",
    "专业能力",
    "执行力",
    "创新意识",
    "学习成长",
    "风险意识",
]
LABELS_5 = {"卓越": 5, "优秀": 4, "良好": 3, "待改进": 2, "不合格": 1}
LABELS_4 = {"Exceptional": 4, "Strong": 3, "Developing": 2, "Unsatisfactory": 1}

# metric name, unit, base target, direction
METRICS = [
    ("月度新增存款额", "万元", 500.0, "higher"),
    ("月度理财销售额", "万元", 300.0, "higher"),
    ("月度有效客户拜访量", "次", 40.0, "higher"),
    ("月度业务差错笔数", "笔", 8.0, "lower"),
    ("工单平均处理时长", "小时", 6.0, "lower"),
    ("月度客户投诉件数", "件", 5.0, "lower"),
    ("系统可用率", "%", 95.0, "higher"),
    ("月度新开户数", "户", 60.0, "higher"),
    ("贷款逾期率", "%", 2.0, "lower"),
    ("客户满意度得分", "分", 85.0, "higher"),
    ("月度交易量", "笔", 1200.0, "higher"),
    ("监管报送准时率", "%", 90.0, "higher"),
    ("月度培训学时", "小时", 8.0, "higher"),
    ("月度营业收入", "万元", 200.0, "higher"),
]


@dataclass
class Truth:
    """What was planted: per-employee truth and the findings a diagnosis must report."""

    employees: pd.DataFrame  # employee_id, trajectory, true_current
    planted: set = field(default_factory=set)  # {(code, subject)}
    raters: set = field(default_factory=set)  # every rater id
    departments: set = field(default_factory=set)
    roles: set = field(default_factory=set)
    kpis: set = field(default_factory=set)
    lowest_grade: str = "D"


def _write_csv(df: pd.DataFrame, path: Path, *, encoding: str = "utf-8", sep: str = ",") -> None:
    path.write_bytes(df.to_csv(index=False, sep=sep).encode(encoding))


def make_client(
    folder: Path,
    seed: int,
    *,
    n_employees: int = 420,
    scale_max: int = 5,
    pay_follows: bool = True,
    gender_impact: bool = True,
    zh_gender: bool = False,
    managers_have_kpis: bool = True,
) -> Truth:
    """Write a full client (every table) into ``folder`` and return the planted truth."""
    rng = np.random.default_rng(seed)
    folder.mkdir(parents=True, exist_ok=True)
    smin, smax = 1, scale_max
    unit = (smax - smin) / 4
    mid = (smin + smax) / 2
    planted: set = set()

    # --- organisation -----------------------------------------------------------------------
    depts = list(rng.choice(DEPARTMENTS, size=5, replace=False))
    role_idx = rng.choice(len(ROLE_POOL), size=5, replace=False)
    roles = [ROLE_POOL[i][0] for i in role_idx]
    lead_role = "团队主管"
    ids = rng.choice(np.arange(1000, 99999), size=n_employees + 1, replace=False)
    ids = [f"{i:06d}" for i in ids]  # leading zeros
    ceo = ids[0]
    rows = [dict(employee_id=ceo, department="行长室", role="行长", manager_id="", level="L9")]
    teams: dict[str, list[str]] = {}
    k = 1
    per_dept = n_employees // len(depts)
    for d_i, dept in enumerate(depts):
        n_d = per_dept if d_i < len(depts) - 1 else n_employees - per_dept * (len(depts) - 1)
        members = ids[k : k + n_d]
        k += n_d
        head = members[0]
        rows.append(
            dict(employee_id=head, department=dept, role="部门负责人", manager_id=ceo, level="L7")
        )
        rest = members[1:]
        n_teams = max(1, len(rest) // 11)
        leads = rest[:n_teams]
        staff = rest[n_teams:]
        for lead in leads:
            rows.append(
                dict(
                    employee_id=lead, department=dept, role="团队主管", manager_id=head, level="L5"
                )
            )
            teams[lead] = []
        teams[head] = list(leads)
        for j, e in enumerate(staff):
            lead = leads[j % n_teams]
            teams[lead].append(e)
            rows.append(
                dict(
                    employee_id=e,
                    department=dept,
                    role=str(rng.choice(roles)),
                    manager_id=lead,
                    level=str(rng.choice(["L2", "L3", "L4"])),
                )
            )
    emp = pd.DataFrame(rows)
    n = len(emp)

    # --- latent performance -----------------------------------------------------------------
    traj = rng.choice(TRAJECTORIES, size=n, p=[0.2, 0.3, 0.2, 0.15, 0.15])
    offset = rng.normal(0, 0.2, n)
    t = np.linspace(0, 1, len(MONTHS))
    start = {
        "steady_high": 1.0,
        "steady_mid": 0.0,
        "steady_low": -1.0,
        "rising": -1.0,
        "declining": 1.0,
    }
    end = {
        "steady_high": 1.0,
        "steady_mid": 0.0,
        "steady_low": -1.0,
        "rising": 1.0,
        "declining": -1.0,
    }
    latent = (
        np.array([[start[tr] + (end[tr] - start[tr]) * x for x in t] for tr in traj])
        + offset[:, None]
    )
    latent += rng.normal(0, 0.08, latent.shape)
    emp["_latent"] = latent[:, -1]
    truth_emp = pd.DataFrame(
        {"employee_id": emp.employee_id, "trajectory": traj, "true_current": latent[:, -1]}
    )
    lat_of = dict(zip(emp.employee_id, range(n), strict=False))

    # --- KPI library --------------------------------------------------------------------------
    objectives = [
        ("OBJ-01", "年度营收增长15%", "financial"),
        ("OBJ-02", "客户满意度进入行业前三", "customer"),
        ("OBJ-03", "运营差错率下降30%", "process"),
        ("OBJ-04", "数字化人才梯队建设", "learning"),
        ("OBJ-05", "绿色金融业务突破", "financial"),
    ]
    missing_persp = str(rng.choice(["customer", "learning"]))
    uncovered = str(
        rng.choice(
            [o[0] for o in objectives if o[2] != missing_persp and o[2] != "financial"] + ["OBJ-05"]
        )
    )
    planted |= {("PERSPECTIVE_MISSING", missing_persp), ("OBJECTIVE_UNCOVERED", uncovered)}
    # an objective of the missing perspective has no KPI either: it is uncovered too
    planted |= {("OBJECTIVE_UNCOVERED", o[0]) for o in objectives if o[2] == missing_persp}
    persp_ok = [p for p in PERSPECTIVES if p != missing_persp]
    obj_by_persp = {
        p: [o[0] for o in objectives if o[2] == p and o[0] != uncovered] for p in persp_ok
    }

    flaw_roles = list(rng.permutation(roles))
    weights_role, count_role = flaw_roles[0], flaw_roles[1]
    kpi_flaws = {
        "vague": flaw_roles[2],
        "easy": flaw_roles[3],
        "hard": flaw_roles[4],
        "flat": flaw_roles[0],
        "redundant": flaw_roles[2],
    }
    kpis, kpi_kind = [], {}
    serial = iter(rng.permutation(np.arange(100, 999)))

    def new_id() -> str:
        return f"KP{next(serial):03d}"

    star = new_id()
    kpis.append(
        dict(
            kpi_id=star,
            name="客户满意度NPS得分",
            role="*",
            weight=10.0,
            target=40.0,
            direction="higher",
            unit="分",
            perspective="customer" if missing_persp != "customer" else "process",
            objective_id=obj_by_persp.get("customer", obj_by_persp["process"])[0],
            data_source="季度客户调研系统",
            description="每月客户NPS调研得分",
        )
    )
    kpi_kind[star] = "clean"
    for role in roles:
        n_k = int(rng.integers(4, 7)) if role != count_role else 9  # own KPIs (+ the * KPI)
        metrics = rng.choice(len(METRICS), size=n_k, replace=False)
        w = rng.dirichlet(np.full(n_k, 5.0)) * 90
        w = np.round(w).astype(float)
        w[-1] += 90 - w.sum()
        if role == weights_role:
            w[0] += 15  # sums to 115 with the * KPI
            planted.add(("KPI_WEIGHTS_NOT_100", role))
        if role == count_role:
            planted.add(("KPI_COUNT_OUT_OF_RANGE", role))
        own = []
        for j, m in enumerate(metrics):
            name, unit_, base, direction = METRICS[m]
            persp = persp_ok[(j + len(own)) % len(persp_ok)]
            kid = new_id()
            target = round(base * float(rng.uniform(0.8, 1.25)), 1)
            row = dict(
                kpi_id=kid,
                name=name,
                role=role,
                weight=float(w[j]),
                target=target,
                direction=direction,
                unit=unit_,
                perspective=persp,
                objective_id=str(rng.choice(obj_by_persp[persp])) if obj_by_persp[persp] else "",
                data_source=str(
                    rng.choice(["核心业务系统", "CRM系统", "运营管理平台", "财务报表"])
                ),
                description=f"{name}，按月统计，单位：{unit_}",
            )
            if direction == "lower":
                row["threshold"] = round(target * 1.5, 2)
                row["stretch"] = round(target * 0.6, 2)
            else:
                row["threshold"] = round(target * 0.6, 2)
                row["stretch"] = round(target * 1.3, 2)
            kpis.append(row)
            own.append(kid)
            kpi_kind[kid] = "clean"
        if role == kpi_flaws["vague"]:
            kid = own[-1]
            kpis[-1].update(
                name="加强团队协作",
                description="积极配合其他部门工作",
                target=np.nan,
                unit="",
                threshold=np.nan,
                stretch=np.nan,
                data_source="",
            )
            kpi_kind[kid] = "vague"
            planted.add(("KPI_NOT_MEASURABLE", kid))
        for flaw, code in (
            ("easy", "KPI_TARGET_TOO_EASY"),
            ("hard", "KPI_TARGET_TOO_HARD"),
            ("flat", "KPI_NO_DISCRIMINATION"),
        ):
            if role == kpi_flaws[flaw]:
                kid = own[0]
                kpi_kind[kid] = flaw
                planted.add((code, kid))
        if role == kpi_flaws["redundant"]:
            a, b = own[1], own[2]
            kpi_kind[a], kpi_kind[b] = "clean", ("twin", a)
            ra = next(r for r in kpis if r["kpi_id"] == a)
            rb = next(r for r in kpis if r["kpi_id"] == b)
            rb.update(
                direction=ra["direction"],
                target=round(ra["target"] * 1.07, 2),
                threshold=round(ra["threshold"] * 1.07, 2),
                stretch=round(ra["stretch"] * 1.07, 2),
                unit=ra["unit"],
                name=ra["name"].replace("月度", "月度（含代理）"),
                description=ra["description"] + "（含代理渠道）",
            )
            planted.add(("KPI_REDUNDANT", ",".join(sorted([a, b]))))
    if managers_have_kpis:
        for j, (name, unit_, target, direction) in enumerate(
            [
                ("团队月度营业收入", "万元", 900.0, "higher"),
                ("团队月度业务差错笔数", "笔", 20.0, "lower"),
                ("团队月度客户投诉件数", "件", 10.0, "lower"),
                ("团队人员月度离职人数", "人", 2.0, "lower"),
            ]
        ):
            kid = new_id()
            persp = persp_ok[j % len(persp_ok)]
            kpis.append(
                dict(
                    kpi_id=kid,
                    name=name,
                    role=lead_role,
                    weight=[30.0, 20.0, 20.0, 20.0][j],
                    target=target,
                    direction=direction,
                    unit=unit_,
                    perspective=persp,
                    objective_id=obj_by_persp[persp][0] if obj_by_persp[persp] else "",
                    data_source="经营管理驾驶舱",
                    description=f"{name}，按月统计，单位：{unit_}",
                    threshold=target * (0.6 if direction == "higher" else 1.5),
                    stretch=target * (1.3 if direction == "higher" else 0.6),
                )
            )
            kpi_kind[kid] = "clean"
    kpis_df = pd.DataFrame(kpis)
    {r.kpi_id: r for r in kpis_df.itertuples()}

    # --- results (monthly) ------------------------------------------------------------------
    res = []
    for e_i, e in enumerate(emp.itertuples()):
        mine = [r for r in kpis_df.itertuples() if r.role in (e.role, "*")]
        if e.role not in roles and not (managers_have_kpis and e.role == lead_role):
            continue
        for m_i, period in enumerate(MONTHS):
            lat = latent[e_i, m_i]
            vals = {}
            for r in mine:
                kind = kpi_kind[r.kpi_id]
                if kind == "vague":
                    continue
                sign = 1 if r.direction == "higher" else -1
                if kind == "easy":
                    ratio = 1.22 + 0.03 * lat + rng.normal(0, 0.03)
                    ratio = ratio if sign > 0 else 2 - ratio
                elif kind == "hard":
                    ratio = 0.72 + 0.05 * lat + rng.normal(0, 0.04)
                    ratio = ratio if sign > 0 else 2 - ratio
                elif kind == "flat":
                    ratio = 1.0 + rng.normal(0, 0.004)
                elif isinstance(kind, tuple):
                    vals[r.kpi_id] = round(vals[kind[1]] * 1.07 + rng.normal(0, 0.01) * r.target, 2)
                    continue
                else:
                    ratio = 1 + sign * (0.02 + 0.13 * lat + rng.normal(0, 0.07))
                vals[r.kpi_id] = round(max(r.target * ratio, 0.0), 2)
            for kid, v in vals.items():
                res.append(dict(employee_id=e.employee_id, kpi_id=kid, period=period, actual=v))
    results = pd.DataFrame(res)

    # --- 360 ratings ---------------------------------------------------------------------------
    comps = list(rng.choice(COMPETENCY_POOL, size=int(rng.integers(5, 8)), replace=False))
    comp_eff = rng.normal(0, 0.45, (n, len(comps))) * unit * 1.0
    leads = [
        lead
        for lead in teams
        if emp.loc[emp.employee_id == lead, "role"].iloc[0] == "团队主管" and len(teams[lead]) >= 8
    ]
    flawed = [str(x) for x in rng.choice(leads, size=4, replace=False)]
    lenient, severe, central, halo = flawed
    planted |= {
        ("RATER_LENIENT", lenient),
        ("RATER_SEVERE", severe),
        ("RATER_CENTRAL_TENDENCY", central),
        ("RATER_HALO", halo),
    }
    by_dept = emp.groupby("department").employee_id.apply(list).to_dict()
    manager_of = dict(zip(emp.employee_id, emp.manager_id, strict=False))
    dept_of = dict(zip(emp.employee_id, emp.department, strict=False))
    candidates = [
        e
        for e in emp.employee_id
        if e != ceo
        and latent[lat_of[e], -1] < 0.3
        and manager_of[e] not in flawed
        and e not in flawed
    ]
    inflators = [str(x) for x in rng.choice(candidates, size=5, replace=False)]
    planted |= {("SELF_INFLATION", e) for e in inflators}
    rat = []
    for _period_i, period in enumerate(RATING_PERIODS):
        m_i = MONTHS.index(period)
        for e in emp.employee_id:
            if e == ceo:
                continue
            i = lat_of[e]
            base = mid + 0.85 * unit * latent[i, m_i] + comp_eff[i]
            raters = [(manager_of[e], "manager")]
            peers = [p for p in rng.choice(by_dept[dept_of[e]], size=4, replace=False) if p != e][
                :3
            ]
            raters += [(p, "peer") for p in peers]
            reps = teams.get(e, [])
            if reps:
                raters += [
                    (r, "report") for r in rng.choice(reps, size=min(2, len(reps)), replace=False)
                ]
            raters.append((e, "self"))
            for rater, rel in raters:
                if not rater:
                    continue
                noise = rng.normal(0, 0.35 * unit * 2, len(comps))
                s = base + noise
                if rel == "self":
                    s = s + (1.6 * unit * 2 if e in inflators else 0.15)
                elif rater == lenient:
                    s = s + 1.0 * unit * 2 * 0.8
                elif rater == severe:
                    s = s - 1.0 * unit * 2 * 0.8
                elif rater == central:
                    # everyone "meets": the middle point (on an even scale, the two middle points)
                    s = np.where(np.arange(len(comps)) % 2 == 0, np.floor(mid), np.ceil(mid))
                    s = s + rng.choice([-1, 0, 1], size=len(comps), p=[0.04, 0.92, 0.04])
                elif rater == halo:
                    s = np.full(len(comps), mid + 0.85 * unit * latent[i, m_i] + rng.normal(0, 0.2))
                s = np.clip(np.round(s), smin, smax)
                for c, v in zip(comps, s, strict=False):
                    rat.append(
                        dict(
                            employee_id=e,
                            rater_id=rater,
                            relation=rel,
                            period=period,
                            competency=c,
                            score=int(v),
                        )
                    )
    ratings = pd.DataFrame(rat)

    # --- employees.rating (the client's own process) ----------------------------------------
    noisy = emp._latent.to_numpy() + rng.normal(0, 0.25, n)
    pct = pd.Series(noisy).rank(pct=True).to_numpy()
    cuts = [0.1, 0.3, 0.7, 0.9] if smax == 5 else [0.1, 0.35, 0.8]
    rating = 1 + np.searchsorted(cuts, pct)
    skew_dept = str(rng.choice(depts))
    planted.add(("GRADE_DISTRIBUTION_SKEWED", skew_dept))
    in_skew = (emp.department == skew_dept).to_numpy()
    bump = in_skew & (rating < smax) & (rng.random(n) < 0.65)
    rating = rating + bump
    gender = rng.choice(["F", "M"], size=n)
    if gender_impact:
        top = rating >= smax - 1
        drop = (gender == "F") & top & (rng.random(n) < 0.65) & ~in_skew
        # keep the company's distribution: as many men one point below the top band move up
        pool = np.flatnonzero((gender == "M") & (rating == smax - 2) & ~in_skew)
        lift = rng.choice(pool, size=min(int(drop.sum()), len(pool)), replace=False)
        rating = rating - drop
        rating[lift] += 1
        planted.add(("ADVERSE_IMPACT", "gender:F"))
    if not pay_follows:
        planted.add(("PAY_PERFORMANCE_MISALIGNED", "last_increase_pct"))
    labels = LABELS_5 if smax == 5 else LABELS_4
    label_of = {v: k for k, v in labels.items()}
    emp["rating"] = [label_of[int(r)] for r in rating]
    if pay_follows:
        inc = 1.0 + 1.5 * (rating - smin) + rng.normal(0, 0.4, n)
    else:
        inc = rng.uniform(1.0, 6.0, n)
    emp["last_increase_pct"] = np.round(np.clip(inc, 0, None), 2)
    emp["gender"] = gender if not zh_gender else np.where(gender == "F", "女", "男")
    # locations balanced on true performance, so that a location gap would be the raters' doing
    order = np.argsort(emp._latent.to_numpy())
    loc = np.empty(n, dtype=object)
    for b in range(0, n, 3):
        block = order[b : b + 3]
        loc[block] = rng.permutation(["上海", "杭州", "南京"])[: len(block)]
    emp["location"] = loc
    emp["base_salary"] = np.round(rng.uniform(8000, 30000, n) * 12, -2)
    emp["salary_midpoint"] = np.round(emp.base_salary * rng.uniform(0.85, 1.15, n), -2)
    emp["bonus_target_pct"] = rng.choice([10.0, 15.0, 20.0], size=n)
    emp["hire_date"] = pd.to_datetime("2015-01-01") + pd.to_timedelta(
        rng.integers(0, 3600, n), unit="D"
    )
    emp["hire_date"] = emp.hire_date.dt.strftime("%Y/%m/%d")
    emp["potential"] = rng.choice([1, 2, 3], size=n)
    emp["name"] = [f"员工{i}" for i in range(n)]
    emp["成本中心"] = rng.choice(["CC01", "CC02"], size=n)  # extra column
    emp["department"] = [d + ("  " if j % 7 == 0 else "") for j, d in enumerate(emp.department)]

    # --- competencies and catalog ---------------------------------------------------------------
    crow = []
    for e in emp.employee_id:
        i = lat_of[e]
        for c in comps:
            req = int(rng.choice([3, 4]))
            lvl = int(np.clip(np.round(3 + 0.8 * latent[i, -1] + rng.normal(0, 0.7)), 1, 5))
            crow.append(
                dict(employee_id=e, competency=c, level=lvl, required=req, period="2025-06")
            )
    competencies = pd.DataFrame(crow)
    cat = []
    formats = ["classroom", "online", "coaching", "mentoring", "stretch_assignment", "external"]
    for c_j, c in enumerate(comps[:-1]):  # the last competency has no course
        for f in rng.choice(formats, size=3, replace=False):
            cat.append(
                dict(
                    course_id=f"C{c_j:02d}{f[:2].upper()}",
                    name=f"{c}·{f}",
                    competency=c,
                    format=f,
                    hours=int(rng.integers(4, 40)),
                    cost=int(rng.integers(0, 8000)),
                )
            )
    catalog = pd.DataFrame(cat)

    # --- write, messily ---------------------------------------------------------------------------
    out_emp = emp.drop(columns=["_latent"]).rename(
        columns={"employee_id": "员工编号", "department": "部门", "role": "岗位"}
    )
    _write_csv(out_emp, folder / "employees.csv", encoding="gbk")
    _write_csv(kpis_df, folder / "kpis.csv")
    _write_csv(results, folder / "results.csv", sep=";")
    ratings["comment"] = ""
    _write_csv(ratings, folder / "ratings.csv", sep="\t")
    pd.DataFrame(
        [dict(objective_id=o, name=nm, perspective=p, weight=20) for o, nm, p in objectives]
    ).to_csv(folder / "objectives.csv", index=False, encoding="utf-8-sig")
    _write_csv(competencies, folder / "competencies.csv")
    _write_csv(catalog, folder / "training_catalog.csv")
    settings = {
        "client": f"验收客户{seed}",
        "language": "zh" if seed % 2 else "en",
        "scale": {"min": smin, "max": smax},
        "rating_labels": labels,
        "rewards": {
            "bonus_pool": float(round((emp.base_salary * emp.bonus_target_pct / 100).sum() * 0.93)),
            "merit_budget_pct": 3.5,
        },
        "columns": {"employees": {"员工编号": "employee_id", "部门": "department", "岗位": "role"}},
    }
    if zh_gender:
        settings["values"] = {"employees": {"gender": {"女": "F", "男": "M"}}}
    (folder / "engagement.yaml").write_text(
        yaml.safe_dump(settings, allow_unicode=True), encoding="utf-8"
    )

    return Truth(
        employees=truth_emp,
        planted=planted,
        raters=set(ratings.rater_id[ratings.relation != "self"]),
        departments={d.strip() for d in emp.department},
        roles=set(roles),
        kpis=set(kpis_df.kpi_id),
        lowest_grade="D",
    )


def make_compressed_client(folder: Path, seed: int, n_employees: int = 900) -> Truth:
    """An employees-only export on a 1..4 scale with ~85% on one point and pay that follows ratings."""
    rng = np.random.default_rng(seed)
    folder.mkdir(parents=True, exist_ok=True)
    n = n_employees
    perf = rng.normal(0, 1, n)
    pct = pd.Series(perf).rank(pct=True).to_numpy()
    rating = 1 + np.searchsorted([0.03, 0.10, 0.95], pct)  # 3% / 7% / 85% / 5%
    depts = ["Sales", "Operations", "Engineering", "Finance", "Customer Care"]
    emp = pd.DataFrame(
        {
            "Employee Number": [f"E{i:05d}" for i in rng.permutation(n) + 1],
            "Dept": rng.choice(depts, size=n),
            "Sex": rng.choice(["F", "M"], size=n),
            "Manager": [f"E{int(m):05d}" for m in rng.integers(1, 40, n)],
            "PerfScore": [LABELS_4_EN[int(r)] for r in rating],
            "Raise %": np.round(1.0 + 1.2 * (rating - 1) + rng.normal(0, 0.5, n), 2),
            "Termd": rng.choice([0, 1], size=n),
        }
    )
    emp.to_csv(folder / "employees.csv", index=False, sep=";")
    settings = {
        "language": "en",
        "scale": {"min": 1, "max": 4},
        "rating_labels": {v: k for k, v in LABELS_4_EN.items()},
        "columns": {
            "employees": {
                "Employee Number": "employee_id",
                "Dept": "department",
                "Sex": "gender",
                "Manager": "manager_id",
                "PerfScore": "rating",
                "Raise %": "last_increase_pct",
            }
        },
    }
    (folder / "engagement.yaml").write_text(
        yaml.safe_dump(settings, allow_unicode=True), encoding="utf-8"
    )
    return Truth(
        employees=pd.DataFrame({"employee_id": emp["Employee Number"]}),
        planted={("RATING_COMPRESSED", "employees.rating")},
        departments=set(depts),
    )


LABELS_4_EN = {4: "Exceeds", 3: "Fully Meets", 2: "Needs Improvement", 1: "PIP"}


def make_large_employees_only(folder: Path, seed: int, n_employees: int = 55_000) -> None:
    """A ~55k-row employees-only HR export (promotion-dataset style), GBK, with mapped headers."""
    rng = np.random.default_rng(seed)
    folder.mkdir(parents=True, exist_ok=True)
    n = n_employees
    emp = pd.DataFrame(
        {
            "employee_id": [f"{i:06d}" for i in rng.permutation(n) + 1],
            "department": rng.choice(
                [
                    "Sales & Marketing",
                    "Operations",
                    "Technology",
                    "Procurement",
                    "Analytics",
                    "Finance",
                    "HR",
                    "Legal",
                    "R&D",
                ],
                size=n,
            ),
            "region": rng.choice([f"region_{i}" for i in range(1, 35)], size=n),
            "education": rng.choice(
                ["Bachelor's", "Master's & above", "Below Secondary", ""], size=n
            ),
            "gender": rng.choice(["f", "m"], size=n, p=[0.3, 0.7]),
            "recruitment_channel": rng.choice(["sourcing", "other", "referred"], size=n),
            "no_of_trainings": rng.integers(1, 6, n),
            "age": rng.integers(20, 60, n),
            "previous_year_rating": rng.choice(["1", "2", "3", "4", "5", ""], size=n),
            "length_of_service": rng.integers(1, 30, n),
            "KPIs_met >80%": rng.choice([0, 1], size=n),
            "avg_training_score": rng.integers(39, 99, n),
            "is_promoted": rng.choice([0, 1], size=n, p=[0.91, 0.09]),
        }
    )
    emp.to_csv(folder / "employees.csv", index=False)
    settings = {"language": "en", "columns": {"employees": {"previous_year_rating": "rating"}}}
    (folder / "engagement.yaml").write_text(yaml.safe_dump(settings), encoding="utf-8")
