"""The 9-box: score tertiles × potential (given or proxy)."""

from __future__ import annotations

from perfkit.patterns import nine_box
from tests.patterns.conftest import make_planted


def test_given_potential(planted):
    client, scores, _ = planted
    box = nine_box(client, scores)
    a = box.assignments
    assert box.potential_source == "employees.potential"
    assert a["performance"].value_counts().tolist() == [134, 133, 133]
    given = client.employees.set_index("employee_id")["potential"]
    assert (a.set_index("employee_id")["potential"] == given[a["employee_id"]].to_numpy()).all()
    top = a[a["performance"] == 3]["score"].min()
    assert top >= a[a["performance"] == 2]["score"].max()
    assert len(box.boxes) == 9 and box.boxes["count"].sum() == len(a) == box.grid.to_numpy().sum()
    star = box.boxes.set_index("box_id").loc[1]
    assert (star["name"], star["name_en"], star["performance"], star["potential"]) == (
        "明星",
        "Star",
        3,
        3,
    )
    stars = a[(a["performance"] == 3) & (a["potential"] == 3)]["employee_id"]
    assert sorted(star["members"]) == sorted(stars)
    assert box.grid.loc[3, 3] == star["count"]
    assert box.notes == []


def test_proxy_when_potential_is_absent():
    client, scores, truth = make_planted(n=300, potential=False, lang="en")
    box = nine_box(client, scores)
    assert box.potential_source == "proxy"
    assert "potential is a proxy: score trend + competency score" in box.notes[0]
    a = box.assignments.set_index("employee_id")
    # risers get high potential far more often than decliners
    assert (
        a.loc[truth.index[truth == "rising"], "potential"].mean()
        > a.loc[truth.index[truth == "declining"], "potential"].mean() + 1
    )
    assert set(box.assignments["box"]) <= set(box.boxes["name"])


def test_partly_missing_potential_is_placed_in_the_middle(planted):
    client, scores, _ = planted
    client.employees.loc[:9, "potential"] = float("nan")
    box = nine_box(client, scores)
    assert box.potential_source == "employees.potential"
    assert box.notes == ["10 名员工缺少潜力评估,按中等潜力(2)放置。"]
