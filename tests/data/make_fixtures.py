"""Regenerate the committed legacy-format fixtures of this folder.

Needs xlwt (Excel 97-2003 writer) and odfpy, which are not antq dependencies:
    pip install xlwt odfpy && python tests/data/make_fixtures.py

- standard_2019.xls: the standard layout (2-row merged header) as Excel 97-2003.
- standard_2019.ods: the same table as an OpenDocument sheet (one header row).
"""

from pathlib import Path

HERE = Path(__file__).resolve().parent
HEADER_TOP = [
    "STT",
    "Đơn vị",
    "Tổng số KDC",
    "KDC văn hóa",
    None,
    "Cơ quan đạt chuẩn an toàn về ANTT",
    None,
]
HEADER_SUB = [None, None, None, "Số lượng", "Tỷ lệ (%)", "Số đạt", "Tỷ lệ (%)"]
ROWS = [
    [1, "TP. Nam Định", 300, 250, 83.33, 100, 95.24],
    [2, "H. Hải Hậu", 500, 400, 80.0, 60, 96.77],
    [3, "Mỹ Lộc", 200, 150, 75.0, 40, 97.56],
    [None, "Tổng cộng", 1000, 800, 80.0, 200, 95.69],
]


def xls() -> None:
    import xlwt

    wb = xlwt.Workbook(encoding="utf-8")
    ws = wb.add_sheet("Biểu 01")
    ws.write_merge(0, 0, 0, 6, "KẾT QUẢ PHONG TRÀO TOÀN DÂN BẢO VỆ ANTQ NĂM 2019")
    for c in (0, 1, 2):
        ws.write_merge(1, 2, c, c, HEADER_TOP[c])
    ws.write_merge(1, 1, 3, 4, HEADER_TOP[3])
    ws.write_merge(1, 1, 5, 6, HEADER_TOP[5])
    for c in range(3, 7):
        ws.write(2, c, HEADER_SUB[c])
    for r, row in enumerate(ROWS, start=3):
        for c, v in enumerate(row):
            if v is not None:
                ws.write(r, c, v)
    wb.save(str(HERE / "standard_2019.xls"))


def ods() -> None:
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import Table, TableCell, TableRow
    from odf.text import P

    doc = OpenDocumentSpreadsheet()
    table = Table(name="Biểu 01")
    header = [
        "STT",
        "Đơn vị",
        "Tổng số KDC",
        "KDC văn hóa",
        "Tỷ lệ KDC văn hóa (%)",
        "Cơ quan an toàn về ANTT",
        "Tỷ lệ cơ quan an toàn về ANTT (%)",
    ]
    lines = [["KẾT QUẢ PHONG TRÀO TOÀN DÂN BẢO VỆ ANTQ NĂM 2019"], header, *ROWS]
    for line in lines:
        tr = TableRow()
        for v in line:
            if v is None:
                tr.addElement(TableCell())
            elif isinstance(v, str):
                cell = TableCell(valuetype="string")
                cell.addElement(P(text=v))
                tr.addElement(cell)
            else:
                tr.addElement(TableCell(valuetype="float", value=v))
        table.addElement(tr)
    doc.spreadsheet.addElement(table)
    doc.save(str(HERE / "standard_2019.ods"))


if __name__ == "__main__":
    xls()
    ods()
