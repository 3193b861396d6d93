"""Opening files safely: every refusal names the file and says what is wrong."""

import contextlib
import copy
import datetime as dt
import io
import re
import tracemalloc
import unicodedata
import zipfile

import pytest
from conftest import ROOT, STANDARD_ROWS, write_book
from hypothesis import example, given
from hypothesis import strategies as st

import antq
from antq.reading import cells
from antq.reading.cells import address, read_sheets


def test_address():
    assert address(12, 4) == "D12" and address(1, 27) == "AA1"


def test_reads_values_merges_and_hidden(tmp_path):
    path = write_book(
        tmp_path / "a.xlsx",
        {"S": STANDARD_ROWS, "H": [["x"]]},
        merged={"S": ["D3:E3"]},
        formats={"S": {"E5": "0.00%"}},
        hidden=["H"],
    )
    s, h = read_sheets(path)
    assert s.get(5, 2) == "TP. Nam Định" and s.get(5, 3) == 300
    assert (3, 4, 3, 5) in s.merged and s.merged_fill(3, 3)[(3, 5)] == "KDC văn hóa"
    assert h.hidden and not s.hidden
    assert s.source(5, 4) == "a.xlsx!S!D5"


def test_nfd_text_is_normalised(tmp_path):
    import unicodedata

    path = write_book(tmp_path / "a.xlsx", {"S": [[unicodedata.normalize("NFD", "Hải Hậu")]]})
    assert read_sheets(path)[0].get(1, 1) == "Hải Hậu"


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("notes.xlsx", b"just some text, not a workbook", "not a spreadsheet"),
        ("empty.xlsx", b"", "the file is empty"),
        (
            "locked.xlsx",
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600,
            "password-protected.*remove the password in Excel",
        ),
        ("old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "could not be opened"),
    ],
)
def test_refusals(tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(antq.UnreadableFileError, match=f"{name}: .*{message}"):
        antq.load(path)


def test_a_file_that_is_no_spreadsheet_is_refused_in_each_language(tmp_path):
    path = tmp_path / "notes.xlsx"
    path.write_bytes(b"just some text, not a workbook")
    with pytest.raises(antq.UnreadableFileError) as err:
        antq.load(path)
    assert err.value.vi == (
        "notes.xlsx: không phải file bảng tính; cần file Excel (.xlsx, .xlsm, .xls), "
        ".ods hoặc CSV lưu từ Excel"
    )


def test_truncated_file(tmp_path, standard_book):
    data = standard_book.read_bytes()
    path = tmp_path / "cut.xlsx"
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(
        antq.UnreadableFileError, match="cut.xlsx: .*(truncated or corrupt|could not)"
    ):
        antq.load(path)


def test_size_limit_can_be_raised(standard_book):
    with pytest.raises(antq.FileTooLargeError, match="max_bytes"):
        antq.load(standard_book, max_bytes=100)
    assert len(antq.load(standard_book, max_bytes=10_000_000)) > 0


def _zip(path, parts):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
    path.write_bytes(buf.getvalue())
    return path


#: Memory a refusal may use: far below what expanding the hostile part would take.
BOUNDED = 5 * 1024 * 1024


@contextlib.contextmanager
def _peak_memory():
    """Peak Python allocation inside the block (memory, not seconds: the machine is noisy)."""
    tracemalloc.start()
    try:
        yield lambda: tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_billion_laughs_refused_fast(tmp_path):
    lol = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        + b"".join(b'<!ENTITY lol%d "&lol%d;&lol%d;">' % (i, i - 1, i - 1) for i in range(1, 30))
        + b"]><worksheet>&lol29;</worksheet>"
    )
    path = _zip(
        tmp_path / "lol.xlsx", {"[Content_Types].xml": b"<Types/>", "xl/worksheets/sheet1.xml": lol}
    )
    with (
        _peak_memory() as peak,
        pytest.raises(antq.UnreadableFileError, match="DTD or entities, which Excel never writes"),
    ):
        antq.load(path)
    assert peak() < BOUNDED  # refused before any parser expands an entity


def test_zip_bomb_refused_unexpanded(tmp_path):
    path = _zip(tmp_path / "bomb.xlsx", {"xl/worksheets/sheet1.xml": b"<a>" + b"0" * 50_000_000})
    with (
        _peak_memory() as peak,
        pytest.raises(antq.UnreadableFileError, match="zip bomb") as err,
    ):
        antq.load(path)
    assert peak() < BOUNDED  # 50 MB of content, never decompressed
    # The refusal in Vietnamese names the part and says why too.
    assert "phần xl/worksheets/sheet1.xml bị nén" in err.value.vi
    assert "zip bomb" in err.value.vi


@pytest.mark.parametrize(
    ("part", "xml"),
    [
        # A DTD alone expands nothing yet, but Excel never writes one: refused all the same.
        (
            "xl/worksheets/sheet1.xml",
            b'<?xml version="1.0"?><!DOCTYPE worksheet SYSTEM "x.dtd"><worksheet/>',
        ),
        # The legacy drawing of a comment is XML too: Excel never writes a DTD in it either.
        (
            "xl/drawings/vmlDrawing1.vml",
            b'<?xml version="1.0"?><!DOCTYPE xml [<!ENTITY a "b">]><xml>&a;</xml>',
        ),
    ],
    ids=["sheet without entities", "vml drawing"],
)
def test_a_part_declaring_a_doctype_is_refused(tmp_path, part, xml):
    path = _zip(tmp_path / "dtd.xlsx", {"[Content_Types].xml": b"<Types/>", part: xml})
    with pytest.raises(antq.UnreadableFileError, match=f"dtd.xlsx: part {part} declares a DTD"):
        antq.load(path)


def test_workbook_without_table(tmp_path):
    path = write_book(
        tmp_path / "budget.xlsx",
        {
            "Kinh phí": [
                ["DỰ TOÁN KINH PHÍ 2020"],
                ["Nội dung", "Số tiền"],
                ["Hội nghị", 15_000_000],
            ]
        },
    )
    with pytest.raises(
        antq.NoTableError, match="budget.xlsx: no sheet holds an indicator table"
    ) as err:
        antq.load(path)
    # What was expected, with the headers as a report writes them.
    assert str(err.value).endswith("columns such as 'Khu dân cư văn hóa' or 'Cơ quan › Đạt'"), str(
        err.value
    )


def test_empty_workbook(tmp_path):
    path = write_book(tmp_path / "blank.xlsx", {"Sheet1": []})
    with pytest.raises(antq.NoTableError, match="blank.xlsx: the workbook is empty"):
        antq.load(path)


def test_legacy_encodings_decoded_per_cell(tmp_path):
    path = write_book(
        tmp_path / "old.xlsx",
        {
            "TCVN3": [["Khu d©n c\xad v¨n hãa", "HuyÖn H¶i HËu"]],
            "VNI": [["Toång soá khu daân cö", "Cô quan"]],
        },
    )
    tcvn, vni = read_sheets(path)
    assert tcvn.get(1, 1) == "Khu dân cư văn hóa" and tcvn.get(1, 2) == "Huyện Hải Hậu"
    assert vni.get(1, 1) == "Tổng số khu dân cư" and vni.get(1, 2) == "Cơ quan"


def test_formula_without_cached_value_is_found(tmp_path):
    path = write_book(tmp_path / "f.xlsx", {"S": [[1, 2, "=A1+B1"]]})
    (s,) = read_sheets(path)
    assert s.uncached == {(1, 3)} and s.get(1, 3) is None


def test_unopenable_file_names_the_error(tmp_path):
    path = tmp_path / "old.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    with pytest.raises(antq.UnreadableFileError) as err:
        antq.load(path)
    assert f"({type(err.value.__cause__).__name__}: " in str(err.value)
    assert "NoneType" not in str(err.value)


def test_formula_returning_empty_text_is_not_uncached():
    from antq.reading.cells import _special_cell

    # Excel caches a formula giving "" as an empty value of type "str": nothing to recompute.
    assert _special_cell(b' r="C1" t="str"', b'<f>IF(A1&gt;0,"",1)</f><v></v>') is None
    assert _special_cell(b' r="C1"', b"<f>A1+B1</f>") == ("uncached", "")


def test_table_on_its_side_keeps_its_file_and_uncached_cells():
    from antq.reading.cells import Sheet

    # B2 holds a formula without a cached value; in the view, file row r is column r.
    s = Sheet("f.xlsx", "S", False, [["a", "b"], [5, None]], [], {(2, 2)})
    v = s.transposed_view(2, {})
    assert v.file == "f.xlsx" and v.uncached == {(3, 2)}
    assert v.source(3, 2) == "f.xlsx!S!B2"


def test_csv_without_vietnamese_letters_is_read_as_cp1252():
    from antq.reading.csvfile import decode_text

    # A TCVN3 file saved by a Western Windows: legacy letters, decoded per cell later.
    data = "HuyÖn H¶i HËu;5\n".encode("cp1252")
    assert decode_text(data, "a.csv") == ("HuyÖn H¶i HËu;5\n", "cp1252")


def test_csv_in_big_endian_utf16_with_its_mark_is_read():
    from antq.reading.csvfile import decode_text

    # "Unicode Text" saved on a big-endian machine: the mark FE FF, then UTF-16-BE.
    data = b"\xfe\xff" + "Đơn vị\tSố KDC\nHải Hậu\t500\n".encode("utf-16-be")
    assert decode_text(data, "a.csv") == ("Đơn vị\tSố KDC\nHải Hậu\t500\n", "utf-16")


def test_csv_in_utf16_without_a_mark_cut_short_by_a_byte_is_still_read():
    from antq.reading.csvfile import decode_text

    # Little-endian UTF-16 without a mark whose last byte is missing (a truncated copy):
    # the text is read, the broken last character replaced, not an error.
    data = "Đơn vị;Số KDC\nHải Hậu;500\n".encode("utf-16-le") + b"A"
    text, encoding = decode_text(data, "a.csv")
    assert encoding == "utf-16-le"
    assert text == "Đơn vị;Số KDC\nHải Hậu;500\n\ufffd"


def test_csv_separator_on_a_tie_is_the_first_of_separators():
    from antq.reading.csvfile import SEPARATORS, _separator

    # Each line splits in two by "," and by ";" alike: the documented order decides.
    assert SEPARATORS[:2] == (",", ";")
    assert _separator("Hải Hậu,60;5\nMỹ Lộc,40;2\n") == ","
    assert _separator("Hải Hậu;60\tx\nMỹ Lộc;40\ty\n") == ";"


def test_legacy_text_either_encoding_decodes_cleanly_is_tcvn3():
    from antq.reading.legacy import decode_legacy

    # "HuyÖn", "Giao Thñy", "Tæng céng": neither decoding leaves a trace; TCVN3 by the marks.
    assert decode_legacy("HuyÖn Giao Thñy") == "Huyện Giao Thủy"
    assert decode_legacy("Tæng céng") == "Tổng cộng"


def test_a_chart_sheet_whose_part_is_missing_hides_no_later_sheets_formulas(tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "S"
    wb.create_chartsheet("Chart", 0)  # listed first; chart sheets hold no cells
    for row in [["KẾT QUẢ NĂM 2020"], ["Đơn vị", "Tổng số KDC", "KDC văn hóa"], ["Hải Hậu", 10]]:
        ws.append(row)
    ws["C3"] = "=B3-5"  # no saved value
    wb.save(tmp_path / "full.xlsx")
    # The chart sheet's part dropped (a file cut by another program): calamine opens it.
    path = tmp_path / "chart.xlsx"
    with zipfile.ZipFile(tmp_path / "full.xlsx") as src, zipfile.ZipFile(path, "w") as out:
        for name in src.namelist():
            if not name.startswith("xl/chartsheets/"):
                out.writestr(name, src.read(name))
    res = antq.read(path, errors="coerce")
    assert [(f.rule, f.source) for f in res.findings] == [
        ("read.uncached_formula", "chart.xlsx!S!C3")
    ]


def test_every_latin1_character_vietnamese_does_not_use_marks_legacy_text():
    from antq.reading.legacy import looks_legacy

    # U+0080–U+00FF but the Vietnamese letters and the no-break space, both ends included.
    assert looks_legacy("Khu \x80") and looks_legacy("Khu ÿ")
    assert not looks_legacy("Khu dân cư\xa0văn hóa") and not looks_legacy("Khu ~")


def test_text_with_a_letter_no_legacy_font_stores_is_not_legacy_text():
    from antq.reading.legacy import looks_legacy

    # Legacy fonts store one byte a letter: Latin-1 and Windows-1252's extras (“ ” – …).
    # "Ā" (U+0100, the first letter past Latin-1) is neither: the text is Unicode already.
    assert looks_legacy("Khu \x80 “ÿ” – …")
    assert not looks_legacy("Khu \x80Ā") and not looks_legacy("Khu ÿĀ")


def test_a_sheet_from_no_values_is_empty():
    from antq.reading.cells import Sheet

    s = Sheet.from_values("f.xlsx", "S", {})
    assert (s.n_rows, s.n_cols, s.rows) == (0, 0, [])


def _rewrite(src, dst, name, text):
    """A copy of the workbook ``src`` with one part's text replaced by ``text(old)``."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as out:
        for item in zin.namelist():
            data = zin.read(item)
            out.writestr(item, text(data.decode()).encode() if item == name else data)
    return dst


def test_a_formula_is_found_when_the_sheet_part_is_named_relative_to_the_workbook(tmp_path):
    """Excel names a sheet's part "worksheets/sheet1.xml", relative to xl/ (openpyxl writes
    "/xl/worksheets/sheet1.xml"): the formula saved without a value is found either way."""
    write_book(tmp_path / "abs.xlsx", {"S": [[1, 2, "=A1+B1"]]})
    path = _rewrite(
        tmp_path / "abs.xlsx",
        tmp_path / "rel.xlsx",
        "xl/_rels/workbook.xml.rels",
        lambda xml: xml.replace('Target="/xl/worksheets/', 'Target="worksheets/'),
    )
    with zipfile.ZipFile(path) as zf:
        assert 'Target="worksheets/sheet1.xml"' in zf.read("xl/_rels/workbook.xml.rels").decode()
    (s,) = read_sheets(path)
    assert s.uncached == {(1, 3)}


def test_a_sheet_without_formulas_hides_no_later_sheets_formulas(tmp_path):
    table = [["KẾT QUẢ NĂM 2020"], ["Đơn vị", "Tổng số KDC", "KDC văn hóa"], ["Hải Hậu", 10, 6]]
    with_formula = [
        ["KẾT QUẢ NĂM 2020"],
        ["Đơn vị", "Tổng số cơ quan", "Cơ quan an toàn ANTT"],
        ["Hải Hậu", 10, "=B3-5"],  # C3: no saved value
    ]
    path = write_book(tmp_path / "two.xlsx", {"VH": table, "ANTT": with_formula})
    res = antq.read(path, errors="coerce")
    assert [(f.rule, f.source) for f in res.findings] == [
        ("read.uncached_formula", "two.xlsx!ANTT!C3")
    ]


def test_a_vni_cell_only_vni_decodes_cleanly_on_a_tcvn3_sheet_is_decoded_as_vni():
    from antq.reading.legacy import decode_texts

    # Most cells are TCVN3; "TOÅNG COÄNG" (capitals, VNI) leaves "Å", "Ä" behind in TCVN3.
    texts = {1: "Khu d©n c\xad v¨n hãa", 2: "HuyÖn H¶i HËu", 3: "TOÅNG COÄNG"}
    assert decode_texts(texts) == {1: "Khu dân cư văn hóa", 2: "Huyện Hải Hậu", 3: "TỔNG CỘNG"}


def test_a_row_of_a_date_and_numbers_without_text_is_read_the_date_a_number(tmp_path):
    import datetime

    rows = [["Ngày báo cáo", "Số hộ"], [datetime.date(2020, 1, 5), 3]]
    (s,) = read_sheets(write_book(tmp_path / "ngay.xlsx", {"S": rows}))
    assert s.get(2, 2) == 3 and s.get(2, 1).year == 2020
    assert s.numbers == 2  # the date and the count: every number is accounted for


def test_the_size_refusal_in_vietnamese_says_how_to_raise_the_limit(standard_book):
    with pytest.raises(antq.FileTooLargeError) as err:
        antq.load(standard_book, max_bytes=100)
    assert "standard_2019.xlsx: file nặng" in err.value.vi
    assert "vượt giới hạn 100; nâng giới hạn (max_bytes, --max-mb) để đọc" in err.value.vi


def test_an_error_value_is_read_as_its_text(tmp_path):
    # Calamine reads "#DIV/0!" as empty; the sheet holds its text, for an error naming it.
    path = write_book(tmp_path / "e.xlsx", {"S": [[1, 0, "#DIV/0!", 4]]})
    (s,) = read_sheets(path)
    assert s.get(1, 3) == "#DIV/0!" and s.get(1, 4) == 4
    assert s.uncached == set()


def test_an_error_value_written_as_character_references_is_read_as_its_text(tmp_path):
    write_book(tmp_path / "e.xlsx", {"S": [[1, 0, "#N/A", 4]]})

    def referenced(xml):
        assert ">#N/A<" in xml
        return xml.replace(">#N/A<", ">&#35;N/&#x41;<")

    path = _rewrite(
        tmp_path / "e.xlsx", tmp_path / "r.xlsx", "xl/worksheets/sheet1.xml", referenced
    )
    (s,) = read_sheets(path)
    assert s.get(1, 3) == "#N/A"


def test_a_formula_is_found_in_a_sheet_written_with_a_namespace_prefix(tmp_path):
    """Some writers (the Open XML SDK) prefix every tag ("<x:c>", "<x:f>"): a formula saved
    without a value is found all the same."""
    write_book(tmp_path / "plain.xlsx", {"S": [[1, 2, "=A1+B1"]]})

    def prefixed(xml):
        xml = xml.replace('<worksheet xmlns="', '<x:worksheet xmlns:x="')
        return re.sub(r"<(?!\?|x:)(/?)(\w+)", r"<\1x:\2", xml)

    path = _rewrite(
        tmp_path / "plain.xlsx", tmp_path / "x.xlsx", "xl/worksheets/sheet1.xml", prefixed
    )
    with zipfile.ZipFile(path) as zf:
        xml = zf.read("xl/worksheets/sheet1.xml").decode()
    assert "<x:f>A1+B1</x:f>" in xml and "<f" not in xml
    (s,) = read_sheets(path)
    assert s.uncached == {(1, 3)} and s.get(1, 3) is None


def test_a_sheet_cut_short_is_refused_as_damaged_in_each_language(tmp_path):
    rows = [["KẾT QUẢ NĂM 2020"], ["Đơn vị", "Tổng số KDC"], ["Hải Hậu", 10]]
    write_book(tmp_path / "ok.xlsx", {"S": rows})
    path = _rewrite(
        tmp_path / "ok.xlsx",
        tmp_path / "hong.xlsx",
        "xl/worksheets/sheet1.xml",
        lambda xml: xml[:-200],
    )
    with pytest.raises(antq.UnreadableFileError) as err:
        antq.load(path)
    assert "hong.xlsx: a sheet could not be read, the file is damaged" in str(err.value)
    assert err.value.vi.startswith("hong.xlsx: không đọc được một sheet, file bị hỏng (")
    assert err.value.vi.endswith("); đề nghị gửi lại")


def test_a_sheet_has_no_cell_at_row_or_column_zero():
    from antq.reading.cells import Sheet

    s = Sheet.from_values("f.xlsx", "S", {(1, 1): "Hải Hậu", (1, 2): 5})
    assert (s.get(1, 1), s.get(1, 2)) == ("Hải Hậu", 5)
    assert s.get(1, 0) is None and s.get(0, 1) is None and s.get(1, 3) is None


def test_a_value_typed_at_the_last_cell_of_a_sheet_is_refused_naming_it(tmp_path):
    """One value at XFD1048576 beside a table: python-calamine would allocate the whole
    rectangle from A1 (17 billion cells) and abort the process; refused first, naming the
    sheet and the cell, and a value a few hundred rows below the table is still read."""
    far = write_book(tmp_path / "far.xlsx", {"S": STANDARD_ROWS})
    from openpyxl import load_workbook

    wb = load_workbook(far)
    wb["S"]["XFD1048576"] = 5
    wb.save(far)
    with (
        _peak_memory() as peak,
        pytest.raises(
            antq.UnreadableFileError, match=r"sheet 'S' holds a value as far as XFD1048576"
        ),
    ):
        antq.load(far)
    assert peak() < BOUNDED
    near = write_book(tmp_path / "near.xlsx", {"S": STANDARD_ROWS})
    wb = load_workbook(near)
    wb["S"]["Z900"] = "ghi chú"
    wb.save(near)
    assert read_sheets(near)[0].get(900, 26) == "ghi chú"


@pytest.mark.parametrize(
    "xml, extent",
    [
        (b'<row r="7"><c r="B7" s="1"><v>1</v></c><c r="AA7"/></row>', 7 * 27),
        (b'<row r="100"><c s="2" t="n" r="Z100"><v>1</v></c></row><c r="C99"/>', 100 * 26),
        (b'<mergeCell ref="A1:XFD1048576"/><dimension ref="A1:XFD1048576"/>', 0),
    ],
)
def test_the_rough_extent_counts_every_cell_reference_in_any_attribute_order(xml, extent):
    """The quick bound before the exact scan: rows × columns to the farthest cell reference,
    valued or not, whatever the attribute order; ranges of other tags are no cells."""
    from antq.reading.cells import _rough_extent

    assert _rough_extent(xml) == extent


def test_a_far_cell_without_a_value_is_no_reason_to_refuse(tmp_path):
    """A cell formatted at XFD1048576 but empty passes the rough bound, not the exact scan:
    the workbook is read."""
    import zipfile

    from openpyxl import load_workbook
    from openpyxl.styles import Font

    path = write_book(tmp_path / "styled.xlsx", {"S": STANDARD_ROWS})
    wb = load_workbook(path)
    wb["S"]["XFD1048576"].font = Font(bold=True)
    wb.save(path)
    assert b'r="XFD1048576"' in zipfile.ZipFile(path).read("xl/worksheets/sheet1.xml")
    assert len(antq.load(path)) > 0


def test_an_ods_sheet_reaching_too_far_is_refused_before_it_becomes_lists(tmp_path):
    """An OpenDocument sheet (not checked before it opens, unlike .xlsx) with a value 300.000
    rows down in column Z: refused naming the sheet and cell once opened, not turned into
    7,8 million Python cells."""
    src = zipfile.ZipFile(ROOT / "tests" / "data" / "standard_2019.ods")
    far = (
        '<table:table-row table:number-rows-repeated="299990"><table:table-cell/>'
        "</table:table-row><table:table-row>"
        '<table:table-cell table:number-columns-repeated="25"/>'
        '<table:table-cell office:value-type="float" office:value="5"/></table:table-row>'
    )
    path = tmp_path / "far.ods"
    with zipfile.ZipFile(path, "w") as out:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "content.xml":
                data = data.replace(b"</table:table>", far.encode() + b"</table:table>", 1)
            out.writestr(info, data)
    expected = r"sheet .Biểu 01. holds a value as far as Z29\d{4}"
    with pytest.raises(antq.UnreadableFileError, match=expected):
        antq.load(path)


@pytest.mark.parametrize(
    "xml",
    [
        # an empty formatted cell first: the scan goes on past it to the far value
        b'<row r="1"><c r="A1" s="1"/></row><row r="1048576"><c r="XFD1048576"><v>5</v></c></row>',
        # the far row and the far column reached by two different cells
        b'<row r="1"><c r="A1"><v>1</v></c><c r="XFD1"><v>2</v></c></row>'
        b'<row r="1048576"><c r="A1048576"><v>3</v></c></row>',
    ],
)
def test_the_reach_of_a_sheet_counts_every_valued_cell(xml):
    """The exact scan skips an empty cell without stopping, and takes the farthest row and
    the farthest column even when no one cell holds both."""
    from antq.reading.cells import _check_reach

    with pytest.raises(antq.UnreadableFileError, match=r"far\.xlsx: sheet 'S' holds a value"):
        _check_reach(b"<sheetData>" + xml + b"</sheetData>", "far.xlsx", "S")


def test_a_sheet_reaching_too_far_is_refused_naming_its_file(tmp_path):
    """The refusal of a far value names the file it is in, not only the sheet."""
    from openpyxl import load_workbook

    far = write_book(tmp_path / "far.xlsx", {"S": STANDARD_ROWS})
    wb = load_workbook(far)
    wb["S"]["XFD1048576"] = 5
    wb.save(far)
    with pytest.raises(antq.UnreadableFileError) as err:
        antq.load(far)
    assert str(err.value).startswith("far.xlsx: sheet 'S'"), str(err.value)


@pytest.mark.parametrize(
    "ref, refused",
    [
        (b"ZZ999", False),  # the largest small sheet: one search says so
        (b"ZZ7122", False),  # 702 × 7.122 = 4.999.644 cells: read
        (b"ZZ7123", True),  # 702 × 7.123 = 5.000.346: refused
        (b"AAA7113", True),  # 703 columns × 7.113 rows: refused
        (b"AAA7112", False),
        (b"E1000000", False),  # 5 columns × a million rows: exactly the limit
        (b"F1000000", True),
    ],
)
def test_the_quick_search_for_a_far_cell_lets_every_far_sheet_through_to_the_bound(ref, refused):
    """The search for a reference past ZZ999 only spares small sheets the rough bound: a
    sheet over the limit is refused wherever its far cell lies, one under it is read."""
    from antq.reading.cells import MAX_SHEET_CELLS, SMALL_SHEET_CELLS, _check_reach

    assert SMALL_SHEET_CELLS <= MAX_SHEET_CELLS
    xml = b'<sheetData><row r="1"><c r="A1"><v>1</v></c></row><c r="' + ref + b'"><v>2</v></c>'
    if refused:
        with pytest.raises(antq.UnreadableFileError, match=ref.decode()):
            _check_reach(xml + b"</sheetData>", "far.xlsx", "S")
    else:
        _check_reach(xml + b"</sheetData>", "far.xlsx", "S")


# A sheet as python-calamine hands it over: numbers, text of every kind a report holds
# (blank, number-like, Vietnamese composed or not, TCVN3 and VNI), and empty cells.
_CELL = st.one_of(
    st.none(),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.sampled_from(
        [
            "",
            "  ",
            "\n",
            "12",
            "1.234",
            "94,75%",
            "(3)",
            "STT",
            "Xã Hải Nam",
            unicodedata.normalize("NFD", "Xã Hải Nam"),
            "Khu d©n c­ v¨n hãa",
            "Toång soá",
            "Ñôn vò",
            "Cô quan",
            "-",
            "x",
        ]
    ),
)


@given(st.integers(0, 5).flatmap(lambda w: st.lists(st.lists(_CELL, min_size=w, max_size=w))))
@example([["Toång soá", "Cô quan"]])  # a VNI sheet: its Latin-1-only text is VNI too
@example([["Khu d©n c­ v¨n hãa", "Cô quan", 1.0]])
def test_a_sheet_looked_at_whole_reads_as_row_by_row(raw):
    whole = cells._grid(copy.deepcopy(raw))
    assert whole == cells._grid_by_row(copy.deepcopy(raw))
    # The texts met are remembered: a second sheet of the same texts reads the same.
    assert cells._grid(copy.deepcopy(raw)) == whole


def test_a_sheet_with_a_date_or_rows_of_other_widths_is_read_row_by_row():
    dated = [["Ngày", dt.date(2024, 5, 1), 3.0], ["Xã Hải Nam", 1.0, None]]
    assert cells._grid(copy.deepcopy(dated)) == cells._grid_by_row(copy.deepcopy(dated))
    assert cells._grid(copy.deepcopy(dated))[1] == 3  # the date counts as a number
    ragged = [["Đơn vị", "Số đạt"], ["Xã Hải Nam", 1.0, "2"]]
    assert cells._grid(copy.deepcopy(ragged)) == (ragged, 2)
    # As many cells as a rectangle would hold, in rows of other widths.
    uneven = [[1.0, 2.0], [], ["STT", "Đơn vị", "Xã Hải Nam", 3.0]]
    assert cells._grid(copy.deepcopy(uneven)) == (uneven, 3)


def test_the_texts_remembered_are_bounded(monkeypatch):
    monkeypatch.setattr(cells, "_TEXTS", {})
    monkeypatch.setattr(cells, "_TEXTS_KEPT", 4)
    for n in range(20):
        assert cells._grid([[f"Xã số {n}", 1.0]]) == ([[f"Xã số {n}", 1.0]], 1)
        assert len(cells._TEXTS) <= 4
    # One sheet of many texts does not grow it past the bound either.
    many = [[f"Xã số {n}" for n in range(30)]]
    assert cells._grid(copy.deepcopy(many)) == (many, 0)
    assert len(cells._TEXTS) <= 4
    # A long text (a note under the table) is read and not kept.
    cells._TEXTS.clear()
    note = "Ghi chú: " + "số liệu " * 40
    assert cells._grid([[note]]) == ([[note]], 0)
    assert not cells._TEXTS


@given(st.lists(st.sampled_from([b"<", b":", b"f", b"c", b"ff", b"<c>", b"f" * 70]), max_size=60))
def test_the_quick_look_for_a_formula_finds_what_the_plain_search_does(parts):
    data = b"".join(parts)
    assert cells._may_hold_formula(data) == (b"<f" in data or b":f" in data)


_ODS_NS = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:calcext="urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0"'
)


def _ods_cell(v, span=None, error=None):
    attrs = ""
    if span:
        attrs = f' table:number-columns-spanned="{span[1]}" table:number-rows-spanned="{span[0]}"'

    if error is not None:  # as LibreOffice saves a formula giving an error
        return (
            f'<table:table-cell table:formula="of:=1/0" office:value-type="string" '
            f'office:string-value="" calcext:value-type="error"{attrs}>'
            f"<text:p>{error}</text:p></table:table-cell>"
        )
    if v is None:
        return f"<table:table-cell{attrs}/>"
    if isinstance(v, str):
        kind = ' office:value-type="string"'
    else:
        kind = f' office:value-type="float" office:value="{v}"'
    return f"<table:table-cell{kind}{attrs}><text:p>{v}</text:p></table:table-cell>"


def write_ods(path, sheet, rows, merged=(), errors=None):
    """An OpenDocument sheet as LibreOffice writes one: a merged range is a cell with spans
    and covered cells, an error value a formula cell of value type "error"."""
    from openpyxl.utils import range_boundaries

    spans, covered = {}, set()
    for ref in merged:
        c1, r1, c2, r2 = range_boundaries(ref)
        spans[(r1, c1)] = (r2 - r1 + 1, c2 - c1 + 1)
        covered |= {(r, c) for r in range(r1, r2 + 1) for c in range(c1, c2 + 1)} - {(r1, c1)}
    errors = errors or {}
    body = []
    for r, row in enumerate(rows, start=1):
        cells = [
            "<table:covered-table-cell/>"
            if (r, c) in covered
            else _ods_cell(v, spans.get((r, c)), errors.get(address(r, c)))
            for c, v in enumerate(row, start=1)
        ]
        body.append(f"<table:table-row>{''.join(cells)}</table:table-row>")
    body.append(
        '<table:table-row table:number-rows-repeated="1048000">'
        "<table:table-cell/></table:table-row>"
    )
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<office:document-content {_ODS_NS} office:version="1.3">'
        f'<office:body><office:spreadsheet><table:table table:name="{sheet}">{"".join(body)}'
        "</table:table></office:spreadsheet></office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
        'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" '
        'manifest:version="1.3">'
        '<manifest:file-entry manifest:full-path="/" '
        'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr(
            "mimetype", "application/vnd.oasis.opendocument.spreadsheet", zipfile.ZIP_STORED
        )
        zf.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
        zf.writestr("META-INF/manifest.xml", manifest, zipfile.ZIP_DEFLATED)
    return path


def test_an_ods_file_reads_as_its_xlsx_merged_headers_and_error_values_included(tmp_path):
    from conftest import STANDARD_MERGED

    rows = [r[:] for r in STANDARD_ROWS]
    ods = write_ods(tmp_path / "bc_2019.ods", "S", rows, STANDARD_MERGED, errors={"G6": "#DIV/0!"})
    rows[5][6] = "#DIV/0!"
    xlsx = write_book(tmp_path / "bc_2019.xlsx", {"S": rows}, merged={"S": STANDARD_MERGED})
    [sheet] = read_sheets(ods)
    # python-calamine gives no merged ranges for .ods: the group headers ("KDC văn hóa" over
    # D:E) were lost and their columns read as no indicator, or not at all.
    assert sorted(sheet.merged) == sorted(read_sheets(xlsx)[0].merged)
    assert sheet.get(6, 7) == "#DIV/0!"  # read as '' before: an empty cell, no finding
    cols = ["area", "indicator", "achieved", "total", "reported_rate"]
    with pytest.warns(antq.AntqWarning, match="#DIV/0!") as caught:
        got = antq.load(ods, errors="coerce")
    with pytest.warns(antq.AntqWarning, match="#DIV/0!"):
        want = antq.load(xlsx, errors="coerce")
    assert len(got) == len(want) == 8
    assert got[cols].equals(want[cols])
    assert [
        w.message.finding.source for w in caught if w.message.finding.rule.startswith("read.")
    ] == ["bc_2019.ods!S!G6"]
