"""Reading documents: formats, encodings, what a file says of itself, and files that cannot be
read (each one line naming the file)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from doc_factory import GOLDEN, NEGATIVE, make_docx, make_pdf

from threadline.errors import InputError
from threadline.inputs.documents import Given, collect, read_document
from threadline.inputs.documents.header import parse_date
from threadline.model.documents import DocumentKind


def test_encodings_and_labelled_lines() -> None:
    notice = read_document(GOLDEN / "procurement_notice.txt")  # GB18030
    assert "和田华源纺织有限公司" in notice.text
    assert (notice.title, notice.publisher, notice.date, notice.kind) == (
        "墨玉县职业技能教育培训中心被服采购项目成交公告",
        "墨玉县财政局",
        dt.date(2018, 11, 20),
        DocumentKind.GOVERNMENT,
    )
    paper = read_document(GOLDEN / "policy_paper.txt")  # UTF-16 with a mark
    assert paper.date == dt.date(2019, 3, 20) and "农牧民转移就业" in paper.text
    assert notice.cite_url == f"document:{notice.id}"


def test_html_main_text_without_navigation() -> None:
    page = read_document(GOLDEN / "state_media.html")
    assert page.title == "洛浦县：扶贫车间里织出幸福生活"
    assert (page.publisher, page.date, page.kind) == (
        "新疆日报",
        dt.date(2019, 6, 18),
        DocumentKind.MEDIA,
    )
    assert page.url == "http://example.org/xjrb/2019/0618/luopu.html"
    assert "新疆锦丝路服饰有限公司" in page.text
    for furniture in ("首页", "上海远景制衣", "版权所有", "相关阅读", "数字报"):
        assert furniture not in page.text


def test_html_furniture_in_plain_divs_is_left_out(tmp_path: Path) -> None:
    page = tmp_path / "gov.htm"
    page.write_text(
        '<html><body><div class="top-nav"><ul><li>首页</li><li>政务公开</li></ul></div>'
        '<div id="breadcrumb">当前位置</div><div class="content"><p>正文第一段。</p>'
        '<div class="share-box">分享到</div><p>正文第二段。</p></div>'
        '<div class="footer">主办单位<p>备案号</div></body></html>',
        encoding="utf-8",
    )
    assert read_document(page).text == "正文第一段。\n正文第二段。"


def test_flags_override_what_the_file_says() -> None:
    given = Given(
        title="T", publisher="P", date="2020-01-02", url="https://example.org/x", kind="research"
    )
    document = read_document(GOLDEN / "csr_report.md", given)
    assert (document.title, document.publisher, document.date, document.url, document.kind) == (
        "T", "P", dt.date(2020, 1, 2), "https://example.org/x", DocumentKind.RESEARCH,
    )  # fmt: skip
    # The id is the text's hash: the same text with other flags is the same document.
    assert document.id == read_document(GOLDEN / "csr_report.md").id


def test_pdf_and_docx(tmp_path: Path) -> None:
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(
        make_pdf(["Harbor Knit Co., Ltd. supplies Northwind Apparel Ltd."], title="Audit")
    )
    read = read_document(pdf)
    assert "Harbor Knit Co., Ltd. supplies" in read.text and read.title == "Audit"
    docx = tmp_path / "memo.docx"
    docx.write_bytes(
        make_docx(["第一段。", "Second paragraph."], title="备忘录", creator="Research Unit")
    )
    memo = read_document(docx)
    assert memo.text == "第一段。\nSecond paragraph."
    assert (memo.title, memo.publisher, memo.date) == (
        "备忘录",
        "Research Unit",
        dt.date(2022, 5, 1),
    )


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("scan.pdf", make_pdf([]), "no text layer"),
        (
            "locked.pdf",
            make_pdf(["A secret text long enough to count"], encrypted=True),
            "encrypted",
        ),
        ("photo.txt", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, "PNG"),
        ("empty.txt", b"  \n", "empty file"),
        ("broken.docx", b"PK\x03\x04 not really a zip", "not a readable DOCX"),
    ],
)
def test_unreadable_files_are_one_line_each(
    tmp_path: Path, name: str, data: bytes, message: str
) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(InputError, match=message) as caught:
        read_document(path)
    assert str(caught.value).startswith(str(path)) and "\n" not in str(caught.value)


def test_folders_are_read_recursively(tmp_path: Path) -> None:
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "a" / "b" / "deep.txt").write_text("x", encoding="utf-8")
    (tmp_path / "a" / "page.HTML").write_text("<p>x</p>", encoding="utf-8")
    (tmp_path / "a" / "data.csv").write_text("x", encoding="utf-8")
    (tmp_path / ".hidden").mkdir()
    (tmp_path / ".hidden" / "h.txt").write_text("x", encoding="utf-8")
    found = collect([tmp_path, tmp_path / "missing.pdf", NEGATIVE / "shanghai_news.txt"])
    assert [p.name for p in found.files] == ["deep.txt", "page.HTML", "shanghai_news.txt"]
    assert [p.name for p in found.skipped] == ["data.csv"]
    assert found.missing == [str(tmp_path / "missing.pdf")]


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("2023年5月12日", dt.date(2023, 5, 12)),
        ("2023/5/2", dt.date(2023, 5, 2)),
        ("12 May 2023", dt.date(2023, 5, 12)),
        ("Sept. 3, 2021", dt.date(2021, 9, 3)),
        ("2019-06-18T08:00:00+08:00", dt.date(2019, 6, 18)),
        ("2023-13-40", None),
        ("yesterday", None),
    ],
)
def test_dates_as_written(text: str, day: dt.date | None) -> None:
    assert parse_date(text) == day
