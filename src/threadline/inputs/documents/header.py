"""What a text says of itself in its first lines: "标题：", "来源：", "日期：", "Title:",
"Publisher:", "Date:", "URL:" — and dates as people write them in Chinese and English."""

from __future__ import annotations

import datetime as dt
import re

_HEAD_LINES = 12  # labelled lines are looked for at the top of the text only
_LABELS = {
    "title": ("标题", "题目", "title"),
    "publisher": ("来源", "发布单位", "发布机关", "发布者", "publisher", "source", "published by"),
    "date": ("日期", "发布日期", "发布时间", "时间", "date", "published"),
    "url": ("网址", "链接", "原文链接", "url", "link"),
    "kind": ("类型", "文件类型", "kind", "type"),
}
_LABEL_OF = {label: key for key, labels in _LABELS.items() for label in labels}
_LINE = re.compile(
    r"^\s*("
    + "|".join(sorted(map(re.escape, _LABEL_OF), key=len, reverse=True))
    + r")\s*[:：]\s*(.+?)\s*$",
    re.IGNORECASE,
)
_MONTHS = {
    m: i
    for i, names in enumerate(
        (("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may",),
         ("jun", "june"), ("jul", "july"), ("aug", "august"), ("sep", "sept", "september"),
         ("oct", "october"), ("nov", "november"), ("dec", "december")),
        start=1,
    )
    for m in names
}  # fmt: skip
_NUMERIC = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})")
_DAY_MONTH = re.compile(r"(\d{1,2})\s+([A-Za-z]{3,9})\.?,?\s+(\d{4})")
_MONTH_DAY = re.compile(r"([A-Za-z]{3,9})\.?\s+(\d{1,2}),?\s+(\d{4})")


def header_fields(text: str) -> dict[str, str]:
    """Labelled lines at the top of the text, first of each kind kept."""
    found: dict[str, str] = {}
    for line in text.splitlines()[:_HEAD_LINES]:
        match = _LINE.match(line)
        if match:
            found.setdefault(_LABEL_OF[match.group(1).lower()], match.group(2))
    return found


def parse_date(value: str) -> dt.date | None:
    """2023-05-12, 2023/5/12, 2023年5月12日, 12 May 2023, May 12, 2023; None otherwise."""
    for pattern, order in ((_NUMERIC, "ymd"), (_DAY_MONTH, "dmy"), (_MONTH_DAY, "mdy")):
        match = pattern.search(value)
        if not match:
            continue
        parts = dict(zip(order, match.groups(), strict=True))
        month = parts["m"]
        number = int(month) if month.isdigit() else _MONTHS.get(month.lower(), 0)
        try:
            return dt.date(int(parts["y"]), number, int(parts["d"]))
        except ValueError:
            continue
    return None
