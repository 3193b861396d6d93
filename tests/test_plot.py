"""Charts: inspect the drawn artists, not pixels."""

import warnings

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

import antq.plot as ap


@pytest.fixture(autouse=True)
def _close():
    yield
    plt.close("all")


def _ticks(ax, axis="y"):
    ax.figure.canvas.draw()
    labels = ax.get_yticklabels() if axis == "y" else ax.get_xticklabels()
    return [t.get_text() for t in labels]


def test_trend_one_line_per_indicator_with_target(bundled_tidy):
    _fig, ax = plt.subplots()
    with ap.style():
        out = ap.trend(bundled_tidy, target=95, ax=ax)
    assert out is ax
    lines = ax.get_lines()
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
    texts = [t.get_text() for t in ax.texts]
    assert texts and all("," in t and "." not in t for t in texts)


def test_trend_english(bundled_tidy):
    _fig, ax = plt.subplots()
    with ap.style():
        ap.trend(bundled_tidy, indicator="safe_school", lang="en", ax=ax)
    assert ax.get_xlabel() == "Year" and len(ax.get_lines()) == 10
    assert all("," not in t for t in (t.get_text() for t in ax.texts))


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
    assert all("(" in t.get_text() for t in ax.texts)  # change since 2023 annotated
    assert not any("." in label for label in _ticks(ax, "x"))


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
    assert len(ax.texts) == 9 * 10 + 9  # Huyện Mỹ Lộc until 2023
    assert "," in ax.texts[0].get_text()
    assert next(t.get_text() for t in ax.get_xticklabels()) == "2015"
    # The colour bar says what a colour means, in the same number style.
    assert len(fig.axes) == 2
    bar = fig.axes[1]
    assert bar.get_ylabel() == "Tỷ lệ (%)"
    fig.canvas.draw()
    assert all("." not in t.get_text() for t in bar.get_yticklabels())


def test_trend_labels_every_year(bundled_tidy):
    _fig, ax = plt.subplots()
    ap.trend(bundled_tidy, ax=ax)
    assert _ticks(ax, "x") == [str(y) for y in range(2015, 2026)]


def test_trend_of_the_cultural_indicators(bundled_tidy):
    _fig, ax = plt.subplots()
    ap.trend(bundled_tidy, group="cultural", ax=ax)
    names = [line.get_label() for line in ax.get_lines()]
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
    assert all(len(ax.get_lines()) == 2 for ax in fig.axes)


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
        (ap.change, {"indicator": "safe_school", "year": 2022}),
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
