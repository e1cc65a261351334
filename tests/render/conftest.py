"""Render fixtures: a small hand-built Document (two products, a long table, a chart grid)."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from publisher.layout.model import (
    BulletList,
    Callout,
    Chart,
    ChartGrid,
    Compliance,
    Document,
    FactorLine,
    Paragraph,
    Section,
    Table,
    TableRow,
)
from publisher.render.pdf import PdfResult, render_pdf
from publisher.render.pdf.fonts import BOLD, REGULAR, register_fonts
from publisher.render.pdf.theme import BODY_SIZE, BODY_WIDTH

COMPLIANCE = Compliance(
    firm="测试期货（示例）",
    disclaimer=(
        "重要提示：本报告非期货交易咨询业务项下服务，其中的观点和信息仅作参考之用，"
        "不构成对任何人的投资建议。我司不会因为关注、收到或阅读本报告内容而视相关人员为客户；"
        "市场有风险，投资需谨慎。"
    ),
    licence="交易咨询业务资格：证监许可【0000】000号（示例）",
    analyst="测试分析师",
    qualification="F00000000",
    consulting="Z00000000",
    phone="000-00000000",
)
SOURCE_ORDER = ("WIND", "SMM", "上海钢联", "海关总署")
LITERAL = "分析师原文含 <b>&<para> 标记，须原样印出。"
LATE_SOURCE = "隆众资讯"  # only the table's last rows cite it
AXIS = "2024-03 … 2025-03"  # printed in every fixture chart's artwork


def kinsoku_text() -> str:
    """A paragraph whose first line is filled exactly, so naive wrapping starts line 2 with "，"."""
    first = int((BODY_WIDTH - 2 * BODY_SIZE) // BODY_SIZE)
    return "多" * first + "，" + "晶硅价格震荡运行。" * 12


def chart_pdf(label: str, wide: bool = False) -> bytes:
    """A tiny one-page vector chart, sized like the charts stage's artwork."""
    register_fonts()
    size = (175 * mm, 80 * mm) if wide else (85 * mm, 60 * mm)
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=size, invariant=1, initialFontName=REGULAR)
    canvas.setStrokeColorRGB(0.2, 0.3, 0.5)
    canvas.rect(2, 2, size[0] - 4, size[1] - 4)
    canvas.setFillColorRGB(0.12, 0.31, 0.47)
    bars = 12 if wide else 6
    for i in range(bars):
        canvas.rect(20 + i * (size[0] - 40) / bars, 20, 8, 10 + 7 * (i % 5), stroke=0, fill=1)
    canvas.setFont(BOLD, 9)
    canvas.drawString(20, size[1] - 20, label)
    canvas.setFont(REGULAR, 7)
    canvas.drawString(20, 8, AXIS)
    canvas.save()
    return buffer.getvalue()


def _view(product: str, contract: str, sources: tuple[str, ...]) -> tuple:
    """A daily view; every block names the product, so each is found on exactly one page."""
    return (
        Paragraph(
            f"{product}供给端来看，上周供应量为6.7万吨，环比持平。需求端来看，上周{product}"
            "需求为7.7万吨，环比增长5.48%，需求有所抬升；下游库存处于低位，"
            "生产利润为25元/吨，处于盈利状态，综合开工率为59.31%，环比持平，低于历史同期平均水平。",
            sources,
        ),
        Paragraph(f"{product}成本端来看，新疆地区样本通氧553生产亏损为3665元/吨，成本支撑上升。"),
        FactorLine(1, "基本面", "", "偏多"),
        FactorLine(
            2,
            "基差",
            f"{product}05月27日现货价8350元/吨，07合约基差为910元/吨，现货升水期货。",
            "偏多",
            sources[:1],
        ),
        FactorLine(3, "库存", f"{product}社会库存为58.2万吨，环比减少2.84%。", "偏空", sources),
        FactorLine(4, "盘面", f"{product}MA20向下，07合约期价收于MA20下方。", "偏空", ("WIND",)),
        FactorLine(5, "主力持仓", f"{product}主力持仓净空，空减。", "偏空", ("WIND",)),
        FactorLine(6, "预期", f"{product}供给端排产有所减少，需求复苏处于低位。", "中性"),
        Callout(f"{product}{contract}：在7335-7545区间震荡。", ("WIND",)),
    )


def _rows() -> tuple[TableRow, ...]:
    rows = []
    for i in range(80):
        group = i // 10
        sources = ("WIND",) if group < 4 else ("SMM",)
        if i >= 74:
            sources = (LATE_SOURCE,)
        rows.append(
            TableRow(
                cells=(
                    f"类别{group + 1}" if i % 10 == 0 else "",
                    f"指标{i + 1:02d}（元/吨）" + (" *" if i in (12, 13, 57) else ""),
                    f"{8000 + 5 * i}",
                    f"{8100 + 5 * i}",
                    "-100",
                    f"-{1.2 + i / 100:.2f}%",
                ),
                group_start=i % 10 == 0,
                stale=i in (12, 13, 57),
                sources=sources,
            )
        )
    return tuple(rows)


# id, title, sources, wide: two half-width charts, a full-width one, and one left alone.
CHARTS = (
    ("port-stock", "工业硅：港口库存（万吨）", ("SMM",), False),
    ("regional-cost", "工业硅：分地区成本（元/吨）", ("上海钢联",), False),
    ("pv-balance", "多晶硅：光伏月度平衡（万吨）", ("海关总署",), True),
    ("alloy-run", "铝合金：再生铝合金开工率（%）", ("SMM",), False),
)


def make_document() -> Document:
    charts = tuple(
        Chart(id_, title, None, chart_pdf(f"图表正文{id_}", wide), sources, wide)
        for id_, title, sources, wide in CHARTS
    )
    sections = (
        Section("cover", "封面", (), kind="cover"),
        Section(
            "view-si", "每日观点——工业硅", _view("工业硅", "2507", ("SMM", "上海钢联")), "view"
        ),
        Section(
            "view-ps",
            "每日观点——多晶硅",
            (
                Paragraph(kinsoku_text(), ("SMM",)),
                Paragraph(LITERAL),
                *_view("多晶硅", "2507", ("SMM",)),
            ),
            "view",
        ),
        Section(
            "summary",
            "每日观点",
            (
                BulletList("利多", ("成本上行支撑，厂家停减产计划。",)),
                BulletList("利空", ("节后需求复苏迟缓；", "下游多晶硅供强需弱。")),
                BulletList("主要逻辑", ("产能错配导致供强需弱，下行态势较难改变。",)),
                BulletList("主要风险点", ("停减产/检修计划冲击，多晶硅库存去化及复产走势。",)),
            ),
            "summary",
        ),
        Section(
            "overview-si",
            "工业硅行情概览",
            (
                Table(
                    "表1. 昨日行情概览",
                    ("类别", "指标", "现值", "前值", "涨跌", "涨跌幅"),
                    _rows(),
                    note="注：标“*”的指标本期未更新，沿用最近一期数据。",
                ),
            ),
            "table",
        ),
        Section("charts-si", "工业硅图表", (ChartGrid(charts),), "charts"),
    )
    return Document(
        report_id="silicon-daily",
        title="每日观点",
        subtitle="工业硅 · 多晶硅",
        as_of=dt.date(2025, 5, 27),
        compliance=COMPLIANCE,
        sections=sections,
        primary="#1F4E79",
        accent="#C00000",
        keywords=("工业硅", "多晶硅", "每日观点"),
        source_order=SOURCE_ORDER,
    )


@pytest.fixture(scope="session")
def document() -> Document:
    return make_document()


@pytest.fixture(scope="session")
def rendered(tmp_path_factory: pytest.TempPathFactory, document: Document) -> PdfResult:
    out: Path = tmp_path_factory.mktemp("pdf") / "report.pdf"
    return render_pdf(document, out)
