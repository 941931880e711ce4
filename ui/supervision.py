"""The supervisor's view: statistics for a period as charts (QtCharts) with the numbers beside
them, the deadlines of pending investigations, and the oversight flags; any of them exported to
CSV or XLSX. Figures come from ``app.services.supervision``; nothing is computed here."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QChart,
    QChartView,
    QStackedBarSeries,
    QValueAxis,
)
from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import (
    QCheckBox,
    QDateEdit,
    QDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.context import Context
from app.records.sessions import Actor
from ui import dialogs
from ui.labels import days_left, error_text, outcome_name
from ui.models import RowsModel
from ui.progress import run_with_progress
from ui.tasks import run_in_background

OUTCOME_COLOURS = {"abolished": "#7f8c8d", "exchange": "#2980b9", "issue": "#27ae60"}


def _table(model: RowsModel) -> QTableView:
    view = QTableView()
    view.setModel(model)
    view.horizontalHeader().setStretchLastSection(True)
    view.verticalHeader().setVisible(False)
    model.modelReset.connect(view.resizeColumnsToContents)
    return view


class SupervisionWindow(QDialog):
    def __init__(self, ctx: Context, actor: Actor, parent: Any = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.actor = actor
        self.stats: Any = None
        self.flags: list[Any] = []
        today = ctx.today()
        self.start = QDateEdit(QDate(today.year, today.month, 1))
        self.end = QDateEdit(QDate(today.year, today.month, today.day))
        for edit in (self.start, self.end):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
        self.province = QCheckBox()
        self.run_button = QPushButton()
        self.csv_button, self.xlsx_button = QPushButton(), QPushButton()
        self.status = QLabel()
        self.start_label, self.end_label = QLabel(), QLabel()
        top = QHBoxLayout()
        for widget in (
            self.start_label,
            self.start,
            self.end_label,
            self.end,
            self.province,
            self.run_button,
        ):
            top.addWidget(widget)
        top.addStretch(1)
        top.addWidget(self.csv_button)
        top.addWidget(self.xlsx_button)

        # statistics: charts with the numbers beside them
        self.outcome_chart, self.day_chart = QChart(), QChart()
        self.outcome_view = QChartView(self.outcome_chart)
        self.day_view = QChartView(self.day_chart)
        for view in (self.outcome_view, self.day_view):
            view.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.figures = QLabel()
        self.figures.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.figures.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.kind_model = RowsModel(
            [
                (self.tr("证明"), lambda r: r.kind),
                (self.tr("结论"), lambda r: outcome_name(r.outcome)),
                (self.tr("件数"), lambda r: str(r.count)),
            ]
        )
        self.officer_model = RowsModel(
            [
                (self.tr("民警"), lambda r: r.officer),
                (self.tr("证明要求"), lambda r: str(r.requests)),
                (self.tr("有效证明"), lambda r: str(r.certificates)),
            ]
        )
        stats_page = QWidget()
        grid = QGridLayout(stats_page)
        grid.addWidget(self.outcome_view, 0, 0)
        grid.addWidget(self.figures, 0, 1)
        grid.addWidget(self.day_view, 1, 0, 1, 2)
        grid.addWidget(_table(self.kind_model), 2, 0)
        grid.addWidget(_table(self.officer_model), 2, 1)
        grid.setColumnStretch(0, 3)
        grid.setColumnStretch(1, 2)
        grid.setRowStretch(0, 3)
        grid.setRowStretch(1, 3)
        grid.setRowStretch(2, 2)

        self.deadline_model = RowsModel(
            [
                (self.tr("案件编号"), lambda r: r.case_no),
                (self.tr("所要证明"), lambda r: r.kind),
                (self.tr("办结期限"), lambda r: r.due_date),
                (self.tr("剩余工作日"), lambda r: days_left(r.working_days_left)),
                (self.tr("首接民警"), lambda r: r.officer),
            ],
            highlight=lambda r: r.overdue,
        )
        self.deadline_summary = QLabel()
        deadlines_page = QWidget()
        deadlines_layout = QVBoxLayout(deadlines_page)
        deadlines_layout.addWidget(self.deadline_summary)
        deadlines_layout.addWidget(_table(self.deadline_model), 1)

        self.flag_model = RowsModel(
            [
                (self.tr("日期"), lambda r: r.day),
                (self.tr("提示"), lambda r: r.title),
                (self.tr("案件编号"), lambda r: r.case_no),
                (self.tr("证明编号"), lambda r: r.serial or ""),
                (self.tr("证明"), lambda r: r.kind),
                (self.tr("民警"), lambda r: r.officer),
                (self.tr("说明"), lambda r: r.detail),
            ],
            highlight=lambda r: r.flag in ("issue_not_issued", "abolished_issued"),
        )
        # 五个一律 rule 4: refusals for no legal basis, per demanding unit, to report up
        self.report_model = RowsModel(
            [
                (self.tr("要求单位"), lambda r: r.unit or self.tr("(未记录单位名称)")),
                (self.tr("单位类别"), lambda r: r.sector_name),
                (self.tr("件数"), lambda r: str(r.count)),
                (self.tr("所要证明"), lambda r: "、".join(r.requested)),
                (self.tr("日期"), lambda r: f"{r.first_day} — {r.last_day}"),
                (self.tr("案件编号"), lambda r: "、".join(r.cases)),
            ],
            highlight=lambda r: not r.unit,
        )
        self.report_summary = QLabel()
        self.report_summary.setWordWrap(True)
        reports_page = QWidget()
        reports_layout = QVBoxLayout(reports_page)
        reports_layout.addWidget(self.report_summary)
        reports_layout.addWidget(_table(self.report_model), 1)
        self.tabs = QTabWidget()
        self.tabs.addTab(stats_page, "")
        self.tabs.addTab(deadlines_page, "")
        self.flag_view = _table(self.flag_model)
        self.flag_view.activated.connect(self._open_flag)
        self.tabs.addTab(self.flag_view, "")
        self.tabs.addTab(reports_page, "")
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.status)
        self.run_button.clicked.connect(self.load)
        self.csv_button.clicked.connect(lambda: self.export(".csv"))
        self.xlsx_button.clicked.connect(lambda: self.export(".xlsx"))
        self.run_button.setDefault(True)
        self.translate_ui()
        self.resize(1280, 700)
        self.load()

    def translate_ui(self) -> None:
        self.setWindowTitle(self.tr("监督与统计"))
        self.start_label.setText(self.tr("从"))
        self.end_label.setText(self.tr("至"))
        self.run_button.setText(self.tr("统计(&S)"))
        self.province.setText(self.tr("全省(在线)(&P)"))
        self.csv_button.setText(self.tr("导出 CSV(&C)"))
        self.xlsx_button.setText(self.tr("导出 XLSX(&X)"))
        self.tabs.setTabText(0, self.tr("统计"))
        self.tabs.setTabText(1, self.tr("办结期限"))
        self.tabs.setTabText(2, self.tr("监督提示"))
        self.tabs.setTabText(3, self.tr("报告上级"))

    def period(self) -> tuple[str, str]:
        return (
            self.start.date().toString("yyyy-MM-dd"),
            self.end.date().toString("yyyy-MM-dd"),
        )

    # ------------------------------------------------------------------ data

    def load(self) -> None:
        ctx, actor, (start, end) = self.ctx, self.actor, self.period()
        self.status.setText(self.tr("正在统计…"))

        province = self.province.isChecked()

        def work() -> tuple[Any, Any, Any, Any]:
            from app.services import supervision, worklists

            period = supervision.Period.parse(start, end, ctx.today())
            reports = supervision.reported_demands(ctx, period, actor=actor)
            if province:  # the same charts, against the province's figures
                from app.sync.online import province_figures

                figures, flags = province_figures(ctx, actor=actor, start=start, end=end)
                pending = worklists.pending_investigations(ctx, actor=actor)
                return figures, flags, pending, reports
            return (
                supervision.statistics(ctx, period, actor=actor),
                supervision.oversight(ctx, period, actor=actor),
                worklists.pending_investigations(ctx, actor=actor),
                reports,
            )

        run_in_background(work, self._show, self._failed)

    def _show(self, result: tuple[Any, Any, Any, Any]) -> None:
        self.stats, self.flags, pending, reports = result
        self.report_model.set_rows(reports)
        self.report_summary.setText(
            self.tr(
                "本站没有法律依据或超出职责而不予出具、须报告上级公安机关的要求：{0} 个单位 {1} 件"
                "(未记录单位名称的标红)。"
            ).format(len(reports), sum(r.count for r in reports))
        )
        s = self.stats
        self._outcome_chart(s)
        self._day_chart(s)
        lines = [
            s.station,
            self.tr("{0} 至 {1}").format(s.period.start, s.period.end),
            "",
            self.tr("证明要求：{0} 件").format(s.requests),
        ]
        lines += [f"  {outcome_name(code)}：{n}" for code, n in sorted(s.by_outcome.items())]
        lines += [
            self.tr("出具证明：{0} 份").format(s.certificates_issued),
            self.tr("当场出具 {0}，调查核实 {1}").format(s.on_the_spot, s.investigation),
            self.tr("期限内办结 {0}，超期办结 {1}").format(s.deadlines.met, s.deadlines.late),
            self.tr("办理中 {0}，已超期 {1}").format(s.deadlines.open, s.deadlines.overdue),
            "",
            self.tr(
                "协作部门核查：请求 {0}，按期答复 {1}，超期答复 {2}，待答复 {3}，已逾期 {4}，"
                "不予答复 {5}"
            ).format(
                s.inquiries.asked,
                s.inquiries.in_time,
                s.inquiries.late,
                s.inquiries.open,
                s.inquiries.overdue,
                s.inquiries.declined,
            ),
            "",
            self.tr("群众免开证明 {0} 件，部门间核查代替 {1} 件").format(
                s.no_certificate_needed, s.savings.exchanges
            ),
            self.tr("约节省 {0} 元(每件 {1} 次往返 × {2} 元；每件核查 1 次往返)").format(
                s.savings.yuan, s.savings.trips_per_request, s.savings.fare_yuan
            ),
        ]
        self.figures.setText("\n".join(lines))
        self.kind_model.set_rows(s.by_kind)
        self.officer_model.set_rows(s.by_officer)
        self.flag_model.set_rows(self.flags)
        self.deadline_model.set_rows(pending)
        overdue = sum(1 for r in pending if r.overdue)
        self.deadline_summary.setText(
            self.tr("调查中 {0} 件，其中已超期 {1} 件(标红)").format(len(pending), overdue)
        )
        self.status.setText(self.tr("监督提示 {0} 条").format(len(self.flags)))

    def _outcome_chart(self, s: Any) -> None:
        series = QBarSeries()
        for code in ("abolished", "exchange", "issue"):
            bar = QBarSet(outcome_name(code))
            bar.append(float(s.by_outcome.get(code, 0)))
            bar.setColor(QColor(OUTCOME_COLOURS[code]))
            series.append(bar)
        series.setLabelsVisible(True)
        top = max([1, *s.by_outcome.values()])
        self._draw(self.outcome_chart, series, [self.tr("按结论")], top, self.tr("证明要求按结论"))

    def _day_chart(self, s: Any) -> None:
        series = QStackedBarSeries()
        for code in ("abolished", "exchange", "issue"):
            bar = QBarSet(outcome_name(code))
            for row in s.by_day:
                bar.append(float(getattr(row, code)))
            bar.setColor(QColor(OUTCOME_COLOURS[code]))
            series.append(bar)
        top = max([1] + [r.abolished + r.exchange + r.issue for r in s.by_day])
        days = [row.day[5:] for row in s.by_day]
        self._draw(self.day_chart, series, days, top, self.tr("每日证明要求"))

    @staticmethod
    def _draw(chart: QChart, series: Any, categories: list[str], top: int, title: str) -> None:
        """Replace the chart's bars: categories below, whole-number counts on the left."""
        chart.removeAllSeries()
        for axis in chart.axes():
            chart.removeAxis(axis)
        chart.addSeries(series)
        axis_x = QBarCategoryAxis()
        axis_x.append(categories)
        axis_y = QValueAxis()
        axis_y.setRange(0, top * 1.15)
        axis_y.setLabelFormat("%d")
        axis_y.applyNiceNumbers()
        chart.addAxis(axis_x, Qt.AlignmentFlag.AlignBottom)
        chart.addAxis(axis_y, Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(axis_x)
        series.attachAxis(axis_y)
        chart.setTitle(title)
        chart.legend().setAlignment(Qt.AlignmentFlag.AlignRight)

    def _open_flag(self, index: Any) -> None:
        """Enter or double-click on a flag with a certificate opens that certificate's view."""
        row = self.flag_model.rows[index.row()]
        opener = getattr(self.parent(), "open_certificate", None)
        if row.serial and opener is not None:
            opener(row.serial)

    def export(self, suffix: str) -> None:
        if self.stats is None:
            return
        start, end = self.period()
        default = f"certdesk-{self.tabs.tabText(self.tabs.currentIndex())}-{start}-{end}{suffix}"
        target = dialogs.ask_save_path(self, self.tr("导出"), default, suffix)
        if target is None:
            return
        stats, flags, tab = self.stats, self.flags, self.tabs.currentIndex()
        pending = list(self.deadline_model.rows)
        ctx, actor = self.ctx, self.actor

        def work() -> Path:
            from app.services import supervision
            from app.services.export import export_recorded

            if tab == 0:
                tables = supervision.statistics_tables(stats)
            elif tab == 1:
                tables = [supervision.deadlines_table(pending)]
            else:
                tables = [supervision.flags_table(flags)]
            return export_recorded(
                ctx,
                target,
                actor=actor,
                what=("stats", "deadlines", "oversight")[min(tab, 2)],
                station=stats.station,
                period=f"{start} 至 {end}",
                tables=tables,
            )

        def done(path: Path) -> None:
            self.status.setText(
                self.tr("已导出：{0}。该文件未加密，含有个人信息：请妥善保管，用毕删除").format(
                    path.name
                )
            )

        started = run_with_progress(
            self,
            "export",
            self.tr("导出"),
            self.tr("正在导出…"),
            lambda _r: work(),
            done,
            self._failed,
        )
        if started is None:
            self.status.setText(self.tr("导出正在进行，请稍候"))

    def _failed(self, error: Exception) -> None:
        self.status.setText(error_text(error))
