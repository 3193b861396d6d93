"""Charts: inspect the drawn artists, not pixels."""

import re
import warnings

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

import antq
import antq.plot as ap


@pytest.fixture(autouse=True)
def _close():
    yield
    plt.close("all")


def _lines(ax):
    """The data lines: not the rules that mark events."""
    return [line for line in ax.get_lines() if line.get_gid() != ap.BREAK_GID]


def _texts(ax):
    """The value labels: not the labels of the rules that mark events."""
    return [t.get_text() for t in ax.texts if t.get_gid() != ap.BREAK_GID]


def _ticks(ax, axis="y"):
    ax.figure.canvas.draw()
    labels = ax.get_yticklabels() if axis == "y" else ax.get_xticklabels()
    return [t.get_text() for t in labels]


def test_trend_one_line_per_indicator_with_target(bundled_tidy):
    _fig, ax = plt.subplots()
    with ap.style():
        out = ap.trend(bundled_tidy, target=95, ax=ax)
    assert out is ax
    lines = _lines(ax)
    assert len(lines) == 6
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend[0] == "Khu dân cư an toàn về ANTT" and legend[-1] == "Mục tiêu 95%"
    assert ax.get_xlabel() == "Năm" and ax.get_ylabel() == "Tỷ lệ (%)"
    # 2020 uses the published rate where the file has no total (agencies: 97,25%).
    agency = next(line for line in lines if line.get_label() == "Cơ quan an toàn về ANTT")
    x, y = agency.get_data()
    assert y[list(x).index(2020)] == pytest.approx(97.25)


def test_trend_end_labels_use_decimal_commas(bundled_tidy):
    _fig, ax = plt.subplots()
    with ap.style():
        ap.trend(bundled_tidy, ax=ax)
    texts = _texts(ax)
    assert texts and all("," in t and "." not in t for t in texts)


def test_a_rate_short_of_100_never_reads_100(bundled_tidy):
    # 3.454 of 3.455 areas with a convention (99,97 %) was labelled "100,0": all of them.
    sub = bundled_tidy.query(
        "year == 2024 and level in ['province', 'district'] "
        "and indicator == 'safe_residential_area'"
    ).copy()
    hai_hau = sub["area"] == "Huyện Hải Hậu"
    sub.loc[hai_hau, ["achieved", "total", "reported_rate"]] = [3454, 3455, pd.NA]
    sub.loc[hai_hau, "rate"] = 3454 / 3455
    _fig, ax = plt.subplots()
    ap.ranking(sub, indicator="safe_residential_area", year=2024, ax=ax)
    labels = [t.get_text() for t in ax.texts if t.get_gid() != ap.BREAK_GID]
    assert "99,97" in labels and not any(t.startswith("100,0") for t in labels)
    _fig, ax = plt.subplots()
    ap.heatmap(sub, indicator="safe_residential_area", ax=ax)
    assert "99,97" in [t.get_text() for t in ax.texts]


def test_trend_end_labels_stay_inside_the_axes(bundled_tidy):
    """Five lines ending near the top: labels pushed up must not climb out beside the title."""
    import antq

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", antq.AntqWarning)
        rows = antq.regions(bundled_tidy, level="province")
    _fig, ax = plt.subplots()
    ap.trend(rows, area="Tỉnh Nam Định (cũ)", target=95, events="data/raw", ax=ax)
    lo, hi = ax.get_ylim()
    ends = [t for t in ax.texts if t.get_gid() != ap.BREAK_GID]
    assert len(ends) >= 4
    assert all(lo <= t.xyann[1] < hi - (hi - lo) * 0.02 for t in ends)


def test_trend_english(bundled_tidy):
    _fig, ax = plt.subplots()
    with ap.style():
        ap.trend(bundled_tidy, indicator="safe_school", lang="en", ax=ax)
    assert ax.get_xlabel() == "Year" and len(_lines(ax)) == 10
    assert all("," not in t for t in _texts(ax))


def test_missing_year_is_a_gap(bundled_tidy):
    df = bundled_tidy[bundled_tidy["year"] != 2018]
    _fig, ax = plt.subplots()
    ap.trend(df, indicator=["safe_commune"], area="Tỉnh Nam Định", ax=ax)
    x, y = ax.get_lines()[0].get_data()
    assert 2018 in list(x) and np.isnan(y[list(x).index(2018)])


def test_ranking_sorted_bars_reference_and_changes(bundled_tidy):
    _fig, ax = plt.subplots()
    with ap.style():
        ap.ranking(bundled_tidy, indicator="safe_residential_area", year=2024, ax=ax)
    widths = [p.get_width() for p in ax.patches]
    assert len(widths) == 9 and widths == sorted(widths)  # Mỹ Lộc is in the city from 2024
    assert any(t.get_text().startswith("Tỉnh Nam Định") for t in ax.get_legend().get_texts())
    assert all("(" in t for t in _texts(ax))  # change since 2023 annotated
    assert not any("." in label for label in _ticks(ax, "x"))


def test_ranking_labels_stand_clear_of_bars_and_the_reference_line(bundled_tidy):
    _fig, ax = plt.subplots()
    ap.ranking(bundled_tidy, indicator="safe_residential_area", year=2024, ax=ax)
    labels = [t for t in ax.texts if t.get_gid() != ap.BREAK_GID]
    reference = [line.get_xdata()[0] for line in ax.get_lines()]
    ends = [p.get_width() for p in ax.patches]
    assert len(labels) == len(ends) == 9 and reference
    assert all(t.get_position()[0] > max(ends + reference) for t in labels)
    assert len({t.get_position()[0] for t in labels}) == 1  # one column


def test_a_ranking_note_stands_under_its_axis_label_and_within_its_width(bundled_tidy):
    # 2025 has no districts: no reference line and its legend, so the note under the axis
    # label need not leave room for them; 20 names of communes not compared wrap.
    fig, ax = plt.subplots(figsize=(8, 7))
    ap.ranking(bundled_tidy, indicator="safe_residential_area", year=2025, level="commune", ax=ax)
    assert ax.get_legend() is None
    note = next(t for t in ax.texts if t.get_gid() == ap.BREAK_GID)
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    label, box = ax.xaxis.label.get_window_extent(renderer), note.get_window_extent(renderer)
    points = 72 / fig.dpi
    assert (label.y0 - box.y1) * points < 24
    assert box.x1 <= ax.get_window_extent(renderer).x1 + 1


def test_ranking_bars_start_at_zero(bundled_tidy):
    # Bars from 90 % made 95,2 look like half of 97,7: lengths must compare honestly.
    _fig, ax = plt.subplots()
    ap.ranking(bundled_tidy, indicator="safe_residential_area", ax=ax)
    assert ax.get_xlim()[0] == 0
    assert all(p.get_x() == 0 for p in ax.patches)
    assert _ticks(ax, "x")[0] == "0" and _ticks(ax, "x")[-1] == "100"
    assert ax.get_title(loc="left").endswith("2024")  # the latest year with districts


def test_one_minus_sign_and_decimal_commas_in_labels_and_ticks(bundled_tidy):
    _fig, ax = plt.subplots()
    ap.change(bundled_tidy, indicator="safe_residential_area", year=2024, ax=ax)
    ticks = _ticks(ax, "x")
    labels = [t.get_text() for t in ax.texts]
    for text in ticks + labels:
        assert "-" not in text and "." not in text, text
    assert any(t.startswith("\u2212") for t in ticks)
    assert any(t.startswith("\u2212") and "," in t for t in labels)
    _fig, ax = plt.subplots()
    ap.ranking(bundled_tidy, indicator="safe_residential_area", year=2024, ax=ax)
    assert any("(\u2212" in t.get_text() for t in ax.texts)
    assert not any("-" in t.get_text() for t in ax.texts)


def test_number_formatting():
    assert ap.number(-0.3, decimals=2) == "\u22120,30"
    assert ap.number(2.27, decimals=2, sign=True) == "+2,27"
    assert ap.number(-0.04) == "0,0"  # rounds to zero: no sign
    assert ap.number(1234.5, "en") == "1,234.5"


def test_change_diverging(bundled_tidy):
    _fig, ax = plt.subplots()
    ap.change(bundled_tidy, indicator="safe_residential_area", year=2024, ax=ax)
    widths = [p.get_width() for p in ax.patches]
    assert len(widths) == 9 and min(widths) < 0 < max(widths)
    colors = {p.get_facecolor() for p in ax.patches}
    assert len(colors) == 2


def test_heatmap_values_in_cells(bundled_tidy):
    fig, ax = plt.subplots()
    ap.heatmap(bundled_tidy, indicator="safe_residential_area", ax=ax)
    assert len(_texts(ax)) == 9 * 10 + 9  # Huyện Mỹ Lộc until 2023
    assert "," in ax.texts[0].get_text()
    assert next(t.get_text() for t in ax.get_xticklabels()) == "2015"
    # The colour bar says what a colour means, in the same number style.
    assert len(fig.axes) == 2
    bar = fig.axes[1]
    assert bar.get_ylabel() == "Tỷ lệ (%)"
    fig.canvas.draw()
    assert all("." not in t.get_text() for t in bar.get_yticklabels())


def test_trend_labels_every_year_it_draws(bundled_tidy):
    _fig, ax = plt.subplots()
    ap.trend(bundled_tidy, ax=ax)
    # Tỉnh Nam Định ceased on 1/7/2025: its axis ends with its last report, 2024.
    assert _ticks(ax, "x") == [str(y) for y in range(2015, 2025)]
    assert ax.get_xlim()[1] < 2025
    _fig, ax = plt.subplots()
    ap.trend(bundled_tidy, area="Xã Hải Hậu", indicator=["safe_residential_area"], ax=ax)
    assert _ticks(ax, "x") == ["2025"]  # a commune of 1/7/2025: one year, its own


def test_trend_of_the_cultural_indicators(bundled_tidy):
    _fig, ax = plt.subplots()
    ap.trend(bundled_tidy, group="cultural", ax=ax)
    names = [line.get_label() for line in _lines(ax)]
    assert names[:2] == ["Khu dân cư văn hóa", "Gia đình văn hóa"]
    assert "văn hóa" in ax.get_title(loc="left")
    with pytest.raises(ValueError, match="group"):
        ap.trend(bundled_tidy, group="sports", ax=ax)


def test_style_keeps_what_the_block_did_to_interactive_mode():
    # The inline backend switches interactive mode on with the first figure;
    # leaving rc_context used to switch it off, and later charts were not shown.
    was = matplotlib.is_interactive()
    try:
        matplotlib.interactive(False)
        with ap.style():
            matplotlib.interactive(True)
        assert matplotlib.is_interactive()
        with ap.style():
            pass
        assert matplotlib.is_interactive()
    finally:
        matplotlib.interactive(was)


@pytest.mark.parametrize("suffix", [".parquet", ".csv"])
def test_read_tidy_round_trip_into_yoy_and_every_chart(bundled_tidy, tmp_path, suffix):
    import antq

    path = tmp_path / f"tidy{suffix}"
    if suffix == ".csv":
        bundled_tidy.to_csv(path, index=False, encoding="utf-8-sig")
    else:
        bundled_tidy.to_parquet(path, index=False)
    back = antq.read_tidy(str(path))
    assert len(antq.yoy(back)) == len(bundled_tidy)
    plain = pd.read_csv(path, encoding="utf-8-sig") if suffix == ".csv" else back
    for table in (back, plain):
        for fn, kw in (
            (ap.trend, {}),
            (ap.ranking, {"indicator": "safe_school"}),
            (ap.change, {"indicator": "safe_school"}),
            (ap.heatmap, {"indicator": "safe_school"}),
        ):
            _fig, ax = plt.subplots()
            fn(table, ax=ax, **kw)
            assert ax.patches or ax.get_lines() or ax.images
        assert len(ap.small_multiples(table, indicator="safe_school").axes) == 10


def test_small_multiples_shared_axes(bundled_tidy):
    with ap.style():
        fig = ap.small_multiples(bundled_tidy, indicator="safe_commune")
    assert len(fig.axes) == 10
    assert fig.axes[0].get_shared_y_axes().joined(fig.axes[0], fig.axes[9])
    assert all(len(_lines(ax)) == 2 for ax in fig.axes)


def test_axis_ticks_have_decimal_commas():
    df = pd.DataFrame(
        {
            "year": [2019, 2020],
            "area": ["X", "X"],
            "level": ["province"] * 2,
            "indicator": ["safe_school"] * 2,
            "achieved": [900, 910],
            "total": [1000, 1000],
            "rate": [0.9, 0.91],
            "reported_rate": [np.nan, np.nan],
            "source": ["a", "b"],
        }
    )
    _fig, ax = plt.subplots()
    ap.trend(df, area="X", indicator=["safe_school"], ax=ax)
    ticks = _ticks(ax)
    assert any("," in t for t in ticks) and not any("." in t for t in ticks)


def test_every_vietnamese_letter_renders():
    letters = (
        "aàáảãạăằắẳẵặâầấẩẫậbcdđeèéẻẽẹêềếểễệghiìíỉĩịklmnoòóỏõọôồốổỗộơờớởỡợpqrstuùúủũụưừứửữựvxyỳýỷỹỵ"
    )
    fig, ax = plt.subplots()
    with ap.style(), warnings.catch_warnings():
        warnings.simplefilter("error")  # "Glyph … missing from font" would fail here
        ax.set_title(letters + letters.upper())
        fig.canvas.draw()


def test_style_leaves_the_backend_and_other_settings_alone():
    # Before matplotlib 3.8, leaving rc_context put back the backend setting resolved
    # inside it, and the next pyplot call closed every figure (none shown inline).
    backend = matplotlib.rcParams["backend"]
    with ap.style():
        fig = plt.figure()
        matplotlib.rcParams["lines.linewidth"] = 7.5  # a setting of the user's, not antq's
    assert matplotlib.rcParams["backend"] == backend
    assert plt.fignum_exists(fig.number)
    assert matplotlib.rcParams["lines.linewidth"] == 7.5
    plt.close(fig)
    matplotlib.rcParams["lines.linewidth"] = matplotlib.rcParamsDefault["lines.linewidth"]


def test_style_does_not_leak():
    before = matplotlib.rcParams["axes.spines.top"]
    with ap.style():
        assert matplotlib.rcParams["axes.spines.top"] is False
    assert matplotlib.rcParams["axes.spines.top"] == before


@pytest.mark.parametrize(
    "fn, kw",
    [
        (ap.trend, {}),
        (ap.ranking, {"indicator": "safe_school", "year": 2022}),
        (ap.change, {"indicator": "safe_school", "year": 2023}),
        (ap.heatmap, {"indicator": "safe_school"}),
    ],
)
def test_the_axes_passed_in_is_returned_and_kwargs_reach_matplotlib(bundled_tidy, fn, kw):
    _, ax = plt.subplots()
    extra = {"alpha": 0.5} if fn is not ap.heatmap else {"cmap": "viridis"}
    assert fn(bundled_tidy, ax=ax, **kw, **extra) is ax
    if fn is ap.heatmap:
        assert ax.images[0].get_cmap().name == "viridis"
    elif fn is ap.trend:
        assert ax.get_lines()[0].get_alpha() == 0.5
    else:
        assert ax.patches[0].get_alpha() == 0.5


# ---- breaks: no line across one, a labelled rule at each event ------------------------------


def _runs(line):
    """The runs of consecutive drawn points of a line: the years each stretch joins."""
    x, y = (np.asarray(v, dtype=float) for v in line.get_data())
    runs, cur = [], []
    for xi, yi in zip(x, y, strict=True):
        if np.isnan(yi):
            if cur:
                runs.append(cur)
            cur = []
        else:
            cur.append(xi)
    return [*runs, cur] if cur else runs


def _joins(line, a, b):
    """Whether the line draws a segment from year a to year b."""
    return any(a in run and b in run for run in _runs(line))


def _rules(ax):
    """Rule x positions → the events tagged at them, as the key under the axes names them."""
    xs = [float(line.get_xdata()[0]) for line in ax.get_lines() if line.get_gid() == ap.BREAK_GID]
    texts = [t for t in ax.texts if t.get_gid() == ap.BREAK_GID]
    key = " ".join(t.get_text() for t in texts if ":" in t.get_text()).replace("\n", " ")
    names = {tag: text.strip() for tag, text in re.findall(r"([①-⑳]) (.+?)(?= +[①-⑳] |$)", key)}
    tags = {t.get_position()[0]: t.get_text() for t in texts if ":" not in t.get_text()}
    return {x: [names[tag] for tag in tags.get(x, "")] for x in xs}


def test_no_line_across_the_merger_of_my_loc(bundled_tidy):
    _fig, ax = plt.subplots()
    ap.trend(bundled_tidy, indicator="safe_residential_area", ax=ax)
    line = {ln.get_label(): ln for ln in _lines(ax)}
    city, vu_ban = line["Thành phố Nam Định"], line["Huyện Vụ Bản"]
    assert _joins(city, 2022, 2023) and not _joins(city, 2023, 2024)
    assert 2024 in _runs(city)[-1]  # the city of 2024 is drawn, on its own
    assert _joins(vu_ban, 2023, 2024)
    assert _rules(ax)[2023.5] == ["sáp nhập vào Thành phố Nam Định, 1/9/2024"]


def test_criteria_change_cuts_schools_and_enterprises_only(bundled_tidy):
    _fig, ax = plt.subplots()
    ap.trend(bundled_tidy, area="Tỉnh Nam Định", ax=ax, lang="en")
    line = {ln.get_label(): ln for ln in _lines(ax)}
    assert not _joins(line["Schools safe for security and order"], 2021, 2022)
    assert not _joins(line["Enterprises safe for security and order"], 2021, 2022)
    assert _joins(line["Agencies safe for security and order"], 2021, 2022)
    # Communes compare in 2022, not across their own merger of 1/9/2024 (226 → 175).
    communes = line["Communes safe for security and order"]
    assert _joins(communes, 2021, 2022) and not _joins(communes, 2023, 2024)
    assert _rules(ax) == {
        2021.5: ["new criteria under Circular 124/2021/TT-BCA, 2022"],
        2023.5: ["reorganisation of commune-level units, 2024-09-01"],
    }


def test_an_event_that_leaves_rates_comparable_is_marked_not_cut(bundled_tidy):
    from conftest import RAW

    _fig, ax = plt.subplots()
    ap.trend(bundled_tidy, area="Tỉnh Nam Định", events=RAW, ax=ax)
    line = {ln.get_label(): ln for ln in _lines(ax)}
    assert _joins(line["Khu dân cư an toàn về ANTT"], 2019, 2020)  # compare = rate
    assert _rules(ax)[2019.5] == ["sáp nhập thôn, tổ dân phố, 2020"]


def test_event_labels_stand_off_the_lines(bundled_tidy):
    from conftest import RAW

    # Written along the rule, a label was crossed by the lines, or its white box hid them
    # where they go on (the cultural lines between 2019 and 2020): tags above the axes now,
    # their key under the axis label.
    fig, ax = plt.subplots()
    ap.trend(bundled_tidy, area="Tỉnh Nam Định", group="cultural", events=RAW, ax=ax)
    labels = [t for t in ax.texts if t.get_gid() == ap.BREAK_GID]
    assert [t.get_text() for t in labels] == ["①", "Đường dọc: ① sáp nhập thôn, tổ dân phố, 2020"]
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    area = ax.get_window_extent(renderer)
    tag, key = (t.get_window_extent(renderer) for t in labels)
    assert tag.y0 >= area.y1 - 1 and key.y1 < ax.xaxis.label.get_window_extent(renderer).y0
    assert ax.title.get_window_extent(renderer).y0 >= tag.y1 - 1  # under the title


def test_the_region_of_old_nam_dinh_is_one_line_to_2025(bundled):
    import antq

    r = antq.regions(bundled, of="Tỉnh Nam Định")
    _fig, ax = plt.subplots()
    ap.trend(r, area="Tỉnh Nam Định (cũ)", ax=ax)
    safe = next(ln for ln in _lines(ax) if ln.get_label() == "Khu dân cư an toàn về ANTT")
    assert _runs(safe) == [[float(y) for y in range(2015, 2026)]]
    # Communes are cut there: 57 new communes are no share of the 175 old ones.
    communes = next(ln for ln in _lines(ax) if ln.get_label().startswith("Xã, phường"))
    assert _runs(communes)[-1] == [2025.0]
    assert _rules(ax)[2024.5] == [
        "từ 2025: tổng các đơn vị mới",
        "sắp xếp đơn vị hành chính cấp xã, 1/7/2025",
    ]


def test_heatmap_rule_over_the_rows_an_event_touches(bundled_tidy):
    _fig, ax = plt.subplots()
    ap.heatmap(bundled_tidy, indicator="safe_residential_area", ax=ax)
    rules = [ln for ln in ax.get_lines() if ln.get_gid() == ap.BREAK_GID]
    # Columns are 2015 … 2024: the rule between 2023 and 2024, over the first row (the city).
    spans = {(float(ln.get_xdata()[0]), tuple(ln.get_ydata())) for ln in rules}
    assert spans == {(8.5, (0.9, 1.0))}
    tags = [t.get_text() for t in ax.texts if t.get_gid() == ap.BREAK_GID]
    assert tags[0] == "①" and "① sáp nhập vào Thành phố Nam Định, 1/9/2024" in tags[-1]


def test_small_multiples_cut_at_breaks_and_keyed(bundled_tidy):
    fig = ap.small_multiples(bundled_tidy, indicator="safe_school")
    city = fig.axes[0]
    assert city.get_title(loc="left") == "Thành phố Nam Định"
    blue = _lines(city)[1]
    assert not _joins(blue, 2021, 2022) and not _joins(blue, 2023, 2024)
    assert _joins(_lines(fig.axes[2])[1], 2023, 2024)  # Vụ Bản: only the criteria break
    key = next(t.get_text() for t in fig.texts if t.get_gid() == ap.BREAK_GID)
    assert key == (
        "Đường dọc: ① tiêu chí mới theo Thông tư 124/2021/TT-BCA, 2022   "
        "② sáp nhập vào Thành phố Nam Định, 1/9/2024"
    )


def test_ranking_and_change_show_the_change_the_summary_states(bundled_tidy):
    import antq

    shown = antq.yoy(bundled_tidy).query(
        "year == 2024 and level == 'district' and indicator == 'safe_residential_area'"
    )
    city = shown.set_index("area").loc["Thành phố Nam Định", "shown_change_pp"]
    _fig, ax = plt.subplots()
    ap.change(bundled_tidy, indicator="safe_residential_area", year=2024, ax=ax)
    bars = dict(zip([t.get_text() for t in ax.get_yticklabels()], ax.patches, strict=True))
    assert bars["Thành phố Nam Định"].get_width() == pytest.approx(city)
    assert "Thành phố Nam Định so với Thành phố Nam Định + Huyện Mỹ Lộc năm 2023" in [
        t.get_text() for t in ax.texts if t.get_gid() == ap.BREAK_GID
    ]
    # Across new criteria nothing compares: no bars, and the note says why.
    _fig, ax = plt.subplots()
    ap.change(bundled_tidy, indicator="safe_school", year=2022, ax=ax)
    assert not ax.patches
    note = next(t.get_text() for t in ax.texts if t.get_gid() == ap.BREAK_GID).replace("\n", " ")
    assert note.startswith(
        "Không so sánh được với năm 2021 (tiêu chí mới theo Thông tư 124/2021/TT-BCA, 2022)"
    )


def test_events_of_one_year_are_keyed_in_the_order_drawn_whatever_the_hash_seed():
    """Two events between the same two years (Thành phố Nam Định in 2024: the registry's merger
    and the communes' own) get ① and ② in the order the rows give them, on every run: the
    charts antq build writes do not change from one run to the next."""
    import os
    import subprocess
    import sys

    marks = "[{2024: ['b', 'a']}, {2022: ['c'], 2024: ['d']}]"
    code = f"import antq.plot as ap; print(ap._tags({marks}))"
    runs = {
        subprocess.run(
            [sys.executable, "-c", code],
            env={**os.environ, "PYTHONHASHSEED": str(seed)},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for seed in range(6)
    }
    assert runs == {"{'c': '①', 'b': '②', 'a': '③', 'd': '④'}\n"}


def test_end_labels_are_dark_enough_to_read_on_white(bundled_tidy):
    """Nine districts: the eighth line is Okabe & Ito's yellow, and its end label in that
    yellow could hardly be read; labels keep the line's hue, darkened where it is pale."""
    import matplotlib as mpl

    districts = bundled_tidy.query("level == 'district' and year <= 2024")
    _fig, ax = plt.subplots()
    with ap.style():
        ap.trend(districts, indicator="safe_residential_area", ax=ax)
    lines = {mpl.colors.to_hex(line.get_color()) for line in ax.get_lines()}
    assert "#f0e442" in lines  # the pale line is there
    for label in _texts(ax):
        colour = next(t.get_color() for t in ax.texts if t.get_text() == label)
        r, g, b = mpl.colors.to_rgb(colour)
        assert 0.2126 * r + 0.7152 * g + 0.0722 * b <= 0.75, label


# ---- the look of the labels: sizes, colours, places -------------------------------------------


def _two_lines(ends):
    """A tidy table of two indicators of area X, 2019–2020, ending at the rates ``ends`` (%)."""
    rows = []
    for indicator, end in zip(("safe_school", "safe_agency"), ends, strict=True):
        for year, rate in ((2019, 50.0), (2020, end)):
            rows.append(
                {
                    "year": year,
                    "area": "X",
                    "level": "province",
                    "indicator": indicator,
                    "achieved": rate * 10,
                    "total": 1000,
                    "rate": rate / 100,
                    "reported_rate": np.nan,
                    "source": "a",
                }
            )
    return pd.DataFrame(rows)


def test_rate_text_of_none_and_of_all():
    assert [ap._rate_text(v, "vi") for v in (0, 100, 0.04, 99.96)] == [
        "0,0",
        "100,0",
        "0,04",
        "99,96",
    ]


def test_end_labels_stand_at_their_values_in_their_lines_colours():
    # Apart by more than a label's height: each label at its line's end, not nudged.
    _fig, ax = plt.subplots()
    ap.trend(_two_lines([85.0, 90.0]), area="X", indicator=["safe_school", "safe_agency"], ax=ax)
    ends = sorted((t for t in ax.texts if t.get_gid() != ap.BREAK_GID), key=lambda t: t.xyann[1])
    assert [t.get_text() for t in ends] == ["85,0", "90,0"]
    assert [t.xyann[1] for t in ends] == [85.0, 90.0]
    colours = {line.get_color() for line in _lines(ax)}
    assert {t.get_color() for t in ends} == colours and len(colours) == 2
    assert all(t.get_fontsize() == 8 for t in ends)


def test_heatmap_cells_white_on_dark_black_on_light(bundled_tidy):
    _fig, ax = plt.subplots()
    ap.heatmap(bundled_tidy, indicator="safe_residential_area", ax=ax)
    cells = [t for t in ax.texts if t.get_gid() != ap.BREAK_GID]
    image = ax.images[0]
    values = image.get_array()
    lo, hi = np.nanmin(values), np.nanmax(values)
    colour = {}
    for t in cells:
        j, i = t.get_position()
        colour[float(values[int(i), int(j)])] = t.get_color()
    assert colour[float(lo)] == "white" and colour[float(hi)] == "black"  # cividis: dark to light
    assert all(t.get_fontsize() == 7 for t in cells)


def test_a_trends_key_of_events_wraps_within_the_axes_in_small_grey_type(bundled_tidy):
    from conftest import RAW

    fig, ax = plt.subplots(figsize=(5, 4))
    ap.trend(bundled_tidy, area="Tỉnh Nam Định", events=RAW, ax=ax)
    key = next(t for t in ax.texts if t.get_gid() == ap.BREAK_GID and ":" in t.get_text())
    assert "\n" in key.get_text()
    assert key.get_fontsize() == 7 and key.get_color() == "#222222"
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    assert key.get_window_extent(renderer).x1 <= ax.get_window_extent(renderer).x1 + 1


def test_ranking_of_a_given_year_labels_each_bar_at_its_middle_within_the_axes(bundled_tidy):
    fig, ax = plt.subplots()
    ap.ranking(bundled_tidy, indicator="safe_residential_area", year=2022, ax=ax)
    assert ax.get_title(loc="left").endswith("2022")
    labels = [t for t in ax.texts if t.get_gid() != ap.BREAK_GID]
    middles = sorted(p.get_y() + p.get_height() / 2 for p in ax.patches)
    assert sorted(t.get_position()[1] for t in labels) == pytest.approx(middles)
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    right = ax.get_window_extent(renderer).x1
    assert all(t.get_window_extent(renderer).x1 <= right for t in labels)
    # A rise is written with its sign.
    assert any("(+" in t.get_text() for t in labels)


def test_a_ranking_note_stands_under_the_reference_lines_legend(bundled_tidy):
    # 2024: the province's line is named in a legend under the axis; the note goes below it.
    fig, ax = plt.subplots()
    ap.ranking(bundled_tidy, indicator="safe_residential_area", year=2024, ax=ax)
    note = next(t for t in ax.texts if t.get_gid() == ap.BREAK_GID)
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    legend = ax.get_legend().get_window_extent(renderer)
    assert note.get_window_extent(renderer).y1 <= legend.y0 + 1


def test_a_note_under_a_narrow_chart_wraps_within_its_width(bundled_tidy):
    fig, ax = plt.subplots(figsize=(4, 4))
    ap.change(bundled_tidy, indicator="safe_school", year=2022, ax=ax)
    note = next(t for t in ax.texts if t.get_gid() == ap.BREAK_GID)
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    assert note.get_window_extent(renderer).x1 <= ax.get_window_extent(renderer).x1 + 1


def test_a_trends_key_hangs_its_distance_under_the_axes(bundled_tidy):
    from conftest import RAW

    fig, ax = plt.subplots()
    ap.trend(bundled_tidy, area="Tỉnh Nam Định", events=RAW, ax=ax)
    key = next(t for t in ax.texts if t.get_gid() == ap.BREAK_GID and ":" in t.get_text())
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    top = key.get_window_extent(renderer).y1
    gap = (ax.get_window_extent(renderer).y0 - top) * 72 / fig.dpi  # points
    assert gap == pytest.approx(ap._KEY_BELOW_LABEL, abs=1)


def test_end_labels_pushed_down_from_the_top_stay_apart(bundled_tidy):
    import antq

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", antq.AntqWarning)
        rows = antq.regions(bundled_tidy, level="province")
    _fig, ax = plt.subplots()
    ap.trend(rows, area="Tỉnh Nam Định (cũ)", target=95, events="data/raw", ax=ax)
    lo, hi = ax.get_ylim()
    ys = sorted(t.xyann[1] for t in ax.texts if t.get_gid() != ap.BREAK_GID)
    assert len(ys) >= 4
    gaps = np.diff(ys)
    assert (gaps >= (hi - lo) * 0.045 * 0.999).all()  # no label overlaps the one below


def test_trend_draws_on_the_axes_passed_not_the_current_one(bundled_tidy):
    _fig, (left, right) = plt.subplots(1, 2)  # the right one is current
    assert ap.trend(bundled_tidy, ax=left) is left
    assert _lines(left) and not right.get_lines()


def test_trend_legend_stands_beside_the_axes_at_its_top_in_small_type(bundled_tidy):
    fig, ax = plt.subplots()
    ap.trend(bundled_tidy, ax=ax)
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    box, legend = ax.get_window_extent(renderer), ax.get_legend().get_window_extent(renderer)
    assert box.x1 < legend.x0 < box.x1 + 0.1 * box.width
    assert legend.y1 == pytest.approx(box.y1, abs=10)
    assert all(t.get_fontsize() == 8 for t in ax.get_legend().get_texts())
    # Beside the axes even where the lines leave room in them.
    fig, ax = plt.subplots()
    ap.trend(_two_lines([40.0, 45.0]), area="X", indicator=["safe_school", "safe_agency"], ax=ax)
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    box, legend = ax.get_window_extent(renderer), ax.get_legend().get_window_extent(renderer)
    assert box.x1 < legend.x0


@pytest.mark.parametrize("lang, words", [("vi", "so với"), ("en", "compared with")])
def test_a_ranking_notes_its_comparisons_in_its_language(bundled_tidy, lang, words):
    _fig, ax = plt.subplots()
    ap.ranking(bundled_tidy, indicator="safe_residential_area", year=2024, lang=lang, ax=ax)
    note = next(t.get_text() for t in ax.texts if t.get_gid() == ap.BREAK_GID).replace("\n", " ")
    assert words in note


def _counts_only():
    """Districts of 2023 and 2024 reported as counts without a total: no rate anywhere."""
    import antq

    rows = [
        dict(year=y, area=a, level="district", indicator="safe_residential_area", achieved=n)
        for y in (2023, 2024)
        for a, n in (("Huyện Vụ Bản", 100), ("Huyện Hải Hậu", 120))
    ]
    df = pd.DataFrame(rows).assign(total=None, reported_rate=None, source="f.xlsx!S!C7")
    return antq.as_tidy(df)


@pytest.mark.parametrize(
    "draw",
    [
        lambda d: ap.trend(d, indicator="safe_residential_area", level="district"),
        lambda d: ap.trend(d, area="Huyện Vụ Bản"),
        lambda d: ap.ranking(d, indicator="safe_residential_area", level="district"),
        lambda d: ap.heatmap(d, indicator="safe_residential_area", level="district"),
        lambda d: ap.small_multiples(d, indicator="safe_residential_area", level="district"),
    ],
)
def test_a_chart_of_counts_without_a_total_is_refused_not_drawn_empty(draw):
    from antq.errors import AntqError, NothingToDrawError

    with pytest.raises(NothingToDrawError, match="counts without a total") as err:
        draw(_counts_only())
    assert isinstance(err.value, AntqError) and isinstance(err.value, ValueError)
    assert err.value.vi.startswith("không có tỷ lệ để vẽ")


def test_a_chart_of_an_area_or_indicator_the_table_lacks_says_which(bundled_tidy):
    from antq.errors import NothingToDrawError

    with pytest.raises(NothingToDrawError, match=r"'Huyện Hai Hau' .*close: Huyện Hải Hậu"):
        ap.trend(bundled_tidy, area="Huyện Hai Hau")
    with pytest.raises(NothingToDrawError, match="no rows of indicator 'foo' at level 'district'"):
        ap.heatmap(bundled_tidy, indicator="foo")


def test_the_standard_charts_of_counts_without_a_total_are_none_not_empty(tmp_path):
    from antq.outputs.figures import figures

    assert figures(_counts_only(), tmp_path / "figures") == []
    assert not list(tmp_path.rglob("*.png"))


def test_a_heatmap_whose_last_year_has_no_rate_keeps_the_year_and_its_event(bundled_tidy):
    # 2024's district rows without totals: the column is empty, not cut off the axis
    # that Mỹ Lộc's rule stands on ("2024 is not in list" stopped the build).
    df = bundled_tidy.copy()
    gone = (df["year"] == 2024) & (df["level"] == "district")
    df.loc[gone, ["total", "rate", "reported_rate"]] = None
    ax = ap.heatmap(df, indicator="safe_residential_area")
    assert [t.get_text() for t in ax.get_xticklabels()][-1] == "2024"


def test_trend_of_a_name_several_units_bear_refuses_or_draws_one_line_each(tmp_path):
    from test_report import _three_wards_named_phuong_1

    df = _three_wards_named_phuong_1(tmp_path)
    with pytest.raises(antq.AreaLookupError, match="3 units are named 'Phường 1'"):
        ap.trend(df, area="Phường 1", level="commune")
    ax = ap.trend(df, area="Phường 1 (Quận 4)", level="commune")
    assert [line.get_ydata().tolist() for line in ax.lines if len(line.get_xdata()) == 2] == [
        [70.0, 60.0]
    ]
    plt.close("all")
    ax = ap.trend(df, indicator="safe_residential_area", level="commune")
    # One line for the three wards (their rows in one series, years repeated) before.
    named = [line.get_label() for line in ax.lines if not line.get_label().startswith("_")]
    assert named == ["Phường 1 (Quận 3)", "Phường 1 (Quận 10)", "Phường 1 (Quận 4)"]
    plt.close("all")


def test_change_without_the_year_before_says_so(bundled_tidy):
    from antq.errors import NothingToDrawError

    one = bundled_tidy[bundled_tidy["year"] == 2020]
    with pytest.raises(NothingToDrawError, match="no district rows of .* in 2019") as err:
        ap.change(one, indicator="safe_residential_area", year=2020, lang="vi")
    assert err.value.vi.startswith("không có số liệu năm 2019 của Khu dân cư an toàn")
    plt.close("all")
