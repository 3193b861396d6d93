"""The command line: exit codes, one line per problem, never a traceback."""

import subprocess
import sys
import warnings

import pandas as pd
import pytest
from conftest import RAW, ROWS, STANDARD_MERGED, STANDARD_ROWS, write_book

import antq
from antq.cli import main


def run(*args):
    proc = subprocess.run(
        [sys.executable, "-m", "antq.cli", *map(str, args)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    return proc.returncode, proc.stdout, proc.stderr


def test_check_clean_file_exits_0(tmp_path, capsys):
    path = write_book(
        tmp_path / "clean_2019.xlsx", {"S": STANDARD_ROWS}, merged={"S": STANDARD_MERGED}
    )
    assert main(["check", str(path)]) == 0
    assert "không phát hiện vấn đề" in capsys.readouterr().out


def test_check_bundled_data_exits_1_and_names_cells(capsys):
    assert main(["check", str(RAW)]) == 1
    out = capsys.readouterr().out
    assert "BC_ANTQ_2020.xlsx\n" in out
    assert "  ANTT!E19: cảnh báo [rate.mismatch]" in out
    assert "  ANTT!I19: cảnh báo [rate.no_whole_total]" in out


def test_check_unreadable_exits_2_one_line_no_traceback(tmp_path):
    bad = tmp_path / "report.xlsx"
    bad.write_text("hello")
    code, out, err = run("check", bad)
    assert code == 2
    assert "report.xlsx: không phải file bảng tính" in out
    assert "Traceback" not in out + err


def test_check_text_cell_is_an_error(tmp_path, capsys):
    rows = [r[:] for r in STANDARD_ROWS]
    rows[5][3] = "chưa báo cáo"
    path = write_book(tmp_path / "t_2019.xlsx", {"S": rows}, merged={"S": STANDARD_MERGED})
    assert main(["check", str(path)]) == 1
    assert "S!D6: lỗi [read.not_a_number]" in capsys.readouterr().out


def test_missing_path_no_traceback(tmp_path):
    code, _, err = run("summary", "--year", "2020", tmp_path / "nowhere")
    assert code == 2 and "Traceback" not in err
    assert err.startswith("antq: lỗi:") and "nowhere: không có file hoặc thư mục này" in err
    code, _, err = run("check", "--lang", "en", tmp_path / "nowhere")
    assert code == 2 and "nowhere: no such file or folder" in err


@pytest.mark.parametrize("files", [[], ["notes.pdf"]], ids=["empty", "only_a_pdf"])
def test_a_folder_without_spreadsheets_is_said_and_exits_2(tmp_path, capsys, files):
    raw = tmp_path / "raw"
    raw.mkdir()
    for name in files:
        (raw / name).write_bytes(b"%PDF-1.4")
    # Not "no problems found" (a mistyped folder looked clean), not a crash (exit 3).
    assert main(["check", str(raw)]) == 2
    out = capsys.readouterr().out
    assert "lỗi [read.unreadable]" in out and "không có file bảng tính nào" in out
    assert main(["build", str(raw), "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert "không đọc được số liệu nào (không có file bảng tính)" in err


def test_summary_command(capsys):
    assert main(["summary", "--year", "2020", str(RAW)]) == 0
    assert "3.321 khu dân cư (chiếm tỷ lệ 94,75%" in capsys.readouterr().out


def test_build_writes_outputs(built):
    out = built.out
    assert built.code == 0
    assert f"{ROWS:,} dòng".replace(",", ".") in built.stdout  # 3.726 dòng
    tidy = pd.read_parquet(out / "tidy.parquet")
    assert len(tidy) == ROWS and tidy.columns[0] == "year"
    assert (out / "summary" / "summary_2020.txt").read_text(encoding="utf-8").startswith("Năm 2020")
    csv = pd.read_csv(out / "tidy.csv", encoding="utf-8-sig")
    assert len(csv) == ROWS
    findings = pd.read_csv(out / "findings.csv", encoding="utf-8-sig")
    assert {"rate.mismatch", "rate.no_whole_total"} <= set(findings["rule"])
    assert len(pd.read_csv(out / "yoy.csv")) == ROWS
    leftovers = [p for p in out.rglob("*") if p.is_file() and p.name.startswith(".")]
    assert not leftovers  # no temporary files left behind
    # events.csv beside the workbooks: the 2020 hamlet merger is one info line, not 22 warnings.
    jumps = findings[findings["rule"].str.startswith("denominator.jump")]
    assert jumps.groupby("rule").size().to_dict() == {"denominator.jump_event": 2}
    assert (out / "figures" / "xu_huong_tinh_nam_dinh_cu.png").is_file()


def test_the_reports_summary_sheet_holds_the_paragraphs_of_summary_folder(built, bundled):
    """The build writes each paragraph once and shows it twice: summary/ and the report's
    first sheet, latest year first; both are antq.summary of the whole table."""
    from openpyxl import load_workbook

    files = {
        int(p.stem.rsplit("_", 1)[1]): p.read_text(encoding="utf-8").rstrip("\n")
        for p in (built.out / "summary").glob("summary_*.txt")
    }
    ws = load_workbook(built.out / "bao_cao_antq.xlsx")["Tóm tắt"]
    sheet = [(r[0], r[1]) for r in ws.iter_rows(min_row=3, values_only=True) if r[0]]
    assert [y for y, _ in sheet] == sorted(files, reverse=True) and len(files) >= 10
    assert all(text == files[y] for y, text in sheet)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", antq.AntqWarning)
        for y in (min(files), 2020, max(files)):
            assert files[y] == antq.summary(bundled, year=y, events=RAW)


def test_one_change_in_yoy_csv_the_report_and_the_summary(built):
    """2020, safe residential areas of the province: +1,25 points (94,75% published, 93,5%
    the year before) everywhere; the +2,43 of achieved ÷ total is only beside it in yoy.csv."""
    from openpyxl import load_workbook

    out = built.out
    assert built.code == 0
    yoy = pd.read_csv(out / "yoy.csv", encoding="utf-8-sig").query(
        "year == 2020 and level == 'province' and indicator == 'safe_residential_area'"
    )
    assert yoy["shown_change_pp"].round(2).tolist() == [1.25]
    assert yoy["change_pp"].round(2).tolist() == [2.43]  # computed, named apart
    text = (out / "summary" / "summary_2020.txt").read_text(encoding="utf-8")
    assert "3.321 khu dân cư (chiếm tỷ lệ 94,75%, tăng 1,25 điểm phần trăm" in text
    ws = load_workbook(out / "bao_cao_antq.xlsx")["So với năm trước"]
    rows = list(ws.iter_rows(values_only=True))
    head = list(rows[0])
    row = next(
        r
        for r in rows[1:]
        if r[0] == 2020
        and r[head.index("Đơn vị")] == "Tỉnh Nam Định"
        and r[head.index("Chỉ tiêu")] == "Khu dân cư an toàn về ANTT"
    )
    numbers = [round(v, 2) for v in row if isinstance(v, float)]
    assert round(row[head.index("Thay đổi (điểm %)")], 2) == 1.25 and 2.43 not in numbers
    assert "Thay đổi tính lại (điểm %)" not in head


def test_build_refuses_to_write_into_raw(tmp_path, capsys):
    assert main(["build", str(RAW), "--out", str(RAW / "out")]) == 2
    assert "không được ghi kết quả vào trong thư mục số liệu gốc" in capsys.readouterr().err


def test_check_annotate(tmp_path, capsys):
    from openpyxl import load_workbook

    out = tmp_path / "annotated"
    assert main(["check", str(RAW), "--annotate", str(out)]) == 1
    wb = load_workbook(out / "BC_ANTQ_2020.xlsx")
    cell = wb["ANTT"]["E19"]
    assert cell.comment is not None and "94,75%" in cell.comment.text
    assert cell.comment.text.startswith("[Cảnh báo] ")
    assert cell.fill.start_color.rgb.endswith("FFE699")
    assert wb["ANTT"]["D12"].comment is None


def test_check_annotate_lists_files_it_cannot_copy_instead_of_crashing(tmp_path, capsys):
    import csv

    raw = tmp_path / "raw"
    raw.mkdir()
    rows = [r[:] for r in STANDARD_ROWS]
    rows[5][3] = "chưa báo cáo"  # read.not_a_number, at a cell
    write_book(raw / "a_2019.xlsx", {"S": rows}, merged={"S": STANDARD_MERGED})
    with open(raw / "b_2019.csv", "w", newline="", encoding="utf-8-sig") as fh:
        csv.writer(fh).writerows([["" if v is None else v for v in r] for r in rows])
    out = tmp_path / "annotated"
    # openpyxl cannot open a .csv: this stopped the command (exit 3) with no copy written.
    assert main(["check", str(raw), "--annotate", str(out)]) == 1
    printed = capsys.readouterr().out
    assert "b_2019!D6: lỗi [read.not_a_number]" in printed
    assert "đã ghi 1 bản sao có đánh dấu" in printed
    assert "b_2019.csv không được đánh dấu vì chỉ đánh dấu được file .xlsx, .xlsm" in printed
    assert sorted(p.name for p in out.iterdir()) == ["a_2019.xlsx"]


@pytest.mark.parametrize("args", [["--help"], ["build", "--help"], ["check", "--help"]])
def test_help(args):
    with pytest.raises(SystemExit) as exc:
        main(args)
    assert exc.value.code == 0


def _refusals(tmp_path):
    from openpyxl import Workbook

    (tmp_path / "notes.xlsx").write_text("not a workbook")
    (tmp_path / "locked.xlsx").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    good = write_book(tmp_path / "g.xlsx", {"S": STANDARD_ROWS}, merged={"S": STANDARD_MERGED})
    (tmp_path / "cut.xlsx").write_bytes(good.read_bytes()[:900])
    good.unlink()
    Workbook().save(tmp_path / "empty.xlsx")
    write_book(tmp_path / "budget.xlsx", {"Kinh phí": [["Nội dung", "Số tiền"], ["Hội nghị", 5]]})
    return ["notes.xlsx", "locked.xlsx", "cut.xlsx", "empty.xlsx", "budget.xlsx"]


def test_check_refuses_each_bad_file_in_one_line(tmp_path):
    names = _refusals(tmp_path)
    code, out, err = run("check", tmp_path)
    assert code == 2 and "Traceback" not in out + err
    for name in names:
        lines = [
            line
            for line in out.splitlines()
            if "read.unreadable" in line and line.startswith(f"  lỗi [read.unreadable] {name}: ")
        ]
        assert len(lines) == 1, (name, out)
    # A finding about a whole file stands under the file's name, without a "-:" for its cell.
    assert "  -:" not in out


def test_check_size_limit_can_be_raised(tmp_path, capsys):
    path = write_book(
        tmp_path / "ok_2019.xlsx", {"S": STANDARD_ROWS}, merged={"S": STANDARD_MERGED}
    )
    assert main(["check", str(path), "--max-mb", "0.001"]) == 2
    assert "vượt giới hạn" in capsys.readouterr().out
    assert main(["check", str(path), "--max-mb", "0.001", "--lang", "en"]) == 2
    assert "over the limit" in capsys.readouterr().out
    assert main(["check", str(path), "--max-mb", "5"]) == 0


def test_check_prints_one_line_per_sheet_with_unaccounted_numbers(tmp_path, capsys, monkeypatch):
    """Numbers read nowhere and skipped for no known reason: one warning per sheet naming the
    cells, in ``antq.read`` and as one line of ``antq check``. No layout loses numbers today,
    so the loss is made: the difference columns' numbers are dropped from the accounting."""
    from antq.reading.accounting import Tally

    kept = Tally.skip_column

    def loses_differences(self, sheet, reason, rows, col, values):
        if reason != "difference":
            kept(self, sheet, reason, rows, col, values)

    monkeypatch.setattr(Tally, "skip_column", loses_differences)

    def sheet(a, b):
        return [
            ["KẾT QUẢ NĂM 2020"],
            ["Đơn vị", "KDC văn hóa", "Tăng/giảm"],
            ["Huyện Hải Hậu", a, 1],
            ["Huyện Mỹ Lộc", b, -2],
        ]

    path = write_book(tmp_path / "mat_so.xlsx", {"A": sheet(275, 86), "B": sheet(270, 84)})
    res = antq.read(path, errors="coerce")
    acc = res.accounting.set_index("sheet")
    assert acc.loc["A", "unaccounted"] == acc.loc["B", "unaccounted"] == 2
    assert acc.loc["A", "read"] == 2 and acc.loc["A", "difference"] == 0
    (f,) = [f for f in res.findings if f.rule == "read.unaccounted" and "!A!" in f.source]
    assert f.severity == "warning" and f.source == "mat_so.xlsx!A!C3"
    assert "C3, C4" in f.message_en and "2 numbers" in f.message_en
    assert main(["check", str(path)]) == 1
    lines = [ln for ln in capsys.readouterr().out.splitlines() if "[read.unaccounted]" in ln]
    assert [ln.split(":")[0].strip() for ln in lines] == ["A!C3", "B!C3"]
    assert all("C3, C4" in ln for ln in lines)


def _run_env(*args, **env):
    import os

    proc = subprocess.run(
        [sys.executable, "-m", "antq", *map(str, args)],
        capture_output=True,
        timeout=120,
        env={**os.environ, **env},
    )
    return proc.returncode, proc.stdout.decode("utf-8"), proc.stderr.decode("utf-8")


def test_python_m_antq_version():
    import antq

    code, out, _ = _run_env("--version")
    assert code == 0 and out.strip() == f"antq {antq.__version__}"


def test_output_is_utf8_on_a_windows_code_page():
    # A Windows console (cp1252, cp1258) cannot encode Vietnamese: output is UTF-8 all the same.
    code, out, err = _run_env("check", RAW, PYTHONIOENCODING="cp1252")
    assert code == 1 and "Traceback" not in err
    assert "ANTT!E19: cảnh báo [rate.mismatch] Tỷ lệ ghi trong báo cáo (94,75%)" in out


def test_help_in_vietnamese_or_english(capsys, monkeypatch):
    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    assert out.startswith("cách dùng: antq") and "tùy chọn:" in out and "lệnh:" in out
    assert "in đoạn tóm tắt kết quả của một năm" in out
    with pytest.raises(SystemExit):
        main(["summary", "--help", "--lang", "en"])
    out = capsys.readouterr().out
    assert out.startswith("usage: antq summary") and "--area NAME" in out
    monkeypatch.setenv("ANTQ_LANG", "en")
    with pytest.raises(SystemExit):
        main(["check", "-h"])
    assert "list every problem" in capsys.readouterr().out


@pytest.mark.parametrize(
    "args",
    [
        ["--lang", "en", "--debug", "summary", "--year", "2020"],
        ["summary", "--year", "2020", "--lang", "en", "--debug"],
        ["--debug", "summary", "--lang=en", "--year", "2020"],
    ],
)
def test_common_options_before_or_after_the_command(args, capsys):
    assert main([*args, str(RAW)]) == 0
    assert capsys.readouterr().out.startswith("In 2020, the province had")


def _broken_2020(tmp_path):
    import shutil

    from openpyxl import load_workbook

    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy(RAW / "BC_ANTQ_2019.xlsx", raw)
    wb = load_workbook(RAW / "BC_ANTQ_2020.xlsx")
    wb["ANTT"]["D19"] = "chưa báo cáo"  # the province's safe residential areas
    wb.save(raw / "BC_ANTQ_2020.xlsx")
    return raw


def test_summary_says_what_it_could_not_say_and_exits_1(tmp_path, capsys):
    raw = _broken_2020(tmp_path)
    assert main(["summary", "--year", "2020", str(raw)]) == 1
    out, err = capsys.readouterr()
    assert "3.321" not in out and "223 xã, phường, thị trấn" in out
    assert err.strip() == (
        "antq summary: chưa có số liệu khu dân cư an toàn về ANTT năm 2020: "
        "ô BC_ANTQ_2020.xlsx!ANTT!D19 không đọc được"
    )


def test_build_exits_1_when_the_findings_hold_errors(tmp_path, capsys):
    raw = _broken_2020(tmp_path)
    out = tmp_path / "processed"
    assert main(["build", str(raw), "--out", str(out)]) == 1
    report = capsys.readouterr().out
    assert f"mở {out / 'findings.csv'}" in report and "1 lỗi" in report
    assert main(["build", str(raw), "--out", str(out)]) == 1  # up to date: still 1


def test_area_matched_without_diacritics(capsys):
    assert main(["summary", "--year", "2023", "--area", "Hai Hau", str(RAW)]) == 0
    assert capsys.readouterr().out.startswith("Năm 2023, Huyện Hải Hậu có")
    assert main(["summary", "--year", "2023", "--area", "nam dinh", str(RAW)]) == 2
    err = capsys.readouterr().err
    assert "ứng với nhiều đơn vị" in err and "Thành phố Nam Định, Tỉnh Nam Định" in err


def test_a_bare_name_read_as_another_unit_than_a_former_one_says_so(capsys):
    """Huyện Mỹ Lộc joined Thành phố Nam Định on 1/9/2024: "My Loc" in 2024 is the commune."""
    assert main(["summary", "--year", "2024", "--area", "My Loc", str(RAW)]) == 0
    got = capsys.readouterr()
    assert got.out.startswith("Năm 2024, Xã Mỹ Lộc")
    assert got.err.strip() == (
        "'My Loc' là Xã Mỹ Lộc, đơn vị có số liệu năm 2024; Huyện Mỹ Lộc (đến 31/8/2024) "
        "không có số liệu năm đó."
    )
    assert main(["summary", "--year", "2023", "--area", "Hai Hau", str(RAW)]) == 0
    assert capsys.readouterr().err == ""  # one unit of that name that year: nothing to say


def test_findings_name_the_option_of_the_front_end_showing_them(tmp_path, capsys):
    import antq

    path = write_book(
        tmp_path / "an_2019.xlsx",
        {"S": STANDARD_ROWS, "Nháp": STANDARD_ROWS},
        merged={"S": STANDARD_MERGED},
        hidden=["Nháp"],
    )
    assert main(["check", str(path)]) == 0  # an info finding only
    assert "dùng --include-hidden để đọc" in capsys.readouterr().out
    message = antq.check(path).query("rule == 'read.hidden_sheet'")["message"].iloc[0]
    assert "dùng include_hidden=True để đọc" in message
    main(["check", str(path), "--include-hidden"])
    assert "read.hidden_sheet" not in capsys.readouterr().out


def test_usage_errors_in_the_language_of_the_run(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["summary"])
    assert exc.value.code == 2
    assert "antq: lỗi: thiếu tham số bắt buộc: --year" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["summary", "--lang", "en"])
    assert "antq: error: the following arguments are required: --year" in capsys.readouterr().err


def test_check_counts_agree_with_their_number_in_english(tmp_path, capsys):
    path = write_book(
        tmp_path / "an_2019.xlsx",
        {"S": STANDARD_ROWS, "Nháp": STANDARD_ROWS},
        merged={"S": STANDARD_MERGED},
        hidden=["Nháp"],
    )
    assert main(["check", str(path), "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert "antq check: 0 errors, 0 warnings, 1 information note\n" in out
    assert "numbers)" in out and "(1 numbers)" not in out
    main(["check", str(path)])
    assert "antq check: 0 lỗi, 0 cảnh báo, 1 thông tin\n" in capsys.readouterr().out


def test_template_errors_name_the_options_of_the_command_line(tmp_path, capsys):
    out = tmp_path / "bieu_mau_2025.xlsx"
    assert main(["template", "--year", "2025", "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "(--parent TÊN)" in err and "parent=" not in err
    args = ["template", "--year", "2025", "--parent", "Tỉnh Nam Định", "--out", str(out)]
    assert main(args) == 2
    err = capsys.readouterr().err
    assert "(--areas TỆP)" in err and "areas=" not in err
    assert main([*args, "--lang", "en"]) == 2
    assert "(--areas FILE)" in capsys.readouterr().err


def test_the_readmes_template_example_works_as_written(tmp_path, capsys, monkeypatch):
    import shlex
    from pathlib import Path

    readme = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")
    (line,) = [
        line.split("#")[0]
        for line in readme.splitlines()
        if line.startswith("antq template --year 2025") and not line.rstrip().endswith("\\")
    ]
    monkeypatch.chdir(tmp_path)
    assert main(shlex.split(line)[1:]) == 0, capsys.readouterr().err
    assert (tmp_path / "bieu_mau_2025.xlsx").is_file()


def test_help_placeholders_in_the_language_of_the_help(capsys):
    with pytest.raises(SystemExit):
        main(["template", "--help"])
    out = capsys.readouterr().out
    assert "--areas TỆP" in out and "--level CẤP" in out and "--lang NGÔN_NGỮ" in out
    assert "FILE" not in out and "{district,commune}" not in out
    with pytest.raises(SystemExit):
        main(["template", "--help", "--lang", "en"])
    out = capsys.readouterr().out
    assert "--areas FILE" in out and "--level {district,commune}" in out


def test_year_changes_nothing_for_workbooks_that_give_theirs(capsys):
    # --year is the year of workbooks that give none: ten years are not made one (with
    # 2030 for all, the two files' rows collided as conflicts).
    files = [str(RAW / "BC_ANTQ_2015.xlsx"), str(RAW / "BC_ANTQ_2016.xlsx")]
    code = main(["check", *files, "--lang", "en"])
    plain = capsys.readouterr().out
    assert main(["check", *files, "--year", "2030", "--lang", "en"]) == code
    assert capsys.readouterr().out == plain and "duplicate" not in plain


def test_a_build_of_counts_given_without_a_total_writes_its_outputs(tmp_path, capsys):
    # No total, so no rate: no chart to draw (the heatmap raised "cannot convert float NaN
    # to integer" and the build stopped with code 3), every other output written.
    raw = tmp_path / "raw"
    raw.mkdir()
    for year in (2023, 2024):
        rows = [[f"KẾT QUẢ NĂM {year}"], ["STT", "Đơn vị", "Số khu dân cư an toàn về ANTT"]]
        rows += [[1, "Huyện Vụ Bản", 100 + year % 10], [2, "Huyện Hải Hậu", 120]]
        write_book(raw / f"bao_cao_{year}.xlsx", {"S": rows})
    assert main(["build", str(raw), "--out", str(tmp_path / "out"), "--lang", "en"]) == 0
    assert "0 charts" in capsys.readouterr().out
    for name in ("tidy.csv", "yoy.csv", "findings.csv", "bao_cao_antq.xlsx"):
        assert (tmp_path / "out" / name).is_file()


def test_a_build_of_one_year_draws_no_empty_change_chart(tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["build", str(RAW / "BC_ANTQ_2020.xlsx"), "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "99 dòng: năm 2020, 11 đơn vị" in printed  # was "các năm 2020–2020"
    # A change chart with no year before it was empty axes titled "thay đổi 2019–2020".
    drawn = sorted(p.name for p in (out / "figures").iterdir())
    assert not [n for n in drawn if n.startswith("thay_doi")]
    assert "xep_hang_khu_dan_cu_an_toan_2020.png" in drawn
