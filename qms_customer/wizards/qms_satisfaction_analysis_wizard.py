from odoo import fields, models

from ..tools.download import store_file
from ..tools.xlsx import Cell, Column, XlsxBuilder


class QmsSatisfactionAnalysisWizard(models.TransientModel):
    """The satisfaction analysis of a campaign as a workbook (顾客满意度调查结果及分析报告), built
    with the shared XLSX builder: summary, scores per item and sub-item, per customer, follow-ups."""

    _name = "qms.satisfaction.analysis.wizard"
    _description = "Satisfaction Analysis Export"

    campaign_id = fields.Many2one("qms.satisfaction.campaign", required=True, ondelete="cascade")
    file_data = fields.Binary(string="File", readonly=True, attachment=True)
    file_name = fields.Char(readonly=True)

    def action_generate(self):
        self.ensure_one()
        campaign = self.campaign_id
        name = self.env._("Satisfaction Analysis %(campaign)s.xlsx", campaign=campaign.name.replace("/", "-"))
        self.file_name = name
        return {
            "type": "ir.actions.act_url",
            "url": store_file(self, "file_data", self._qms_build(), name),
            "target": "self",
        }

    def _qms_build(self):
        campaign = self.campaign_id
        data = campaign._qms_analysis()
        threshold = data["threshold"]
        env = self.env
        yes_no = (env._("Yes"), env._("No"))
        with XlsxBuilder(tz=campaign.company_id._qms_tz(), yes_no=yes_no) as builder:
            sheet = builder.add_sheet(env._("Overview"))
            sheet.title(
                env._("Customer Satisfaction Analysis %(campaign)s", campaign=campaign.display_name),
                env._(
                    "Period %(period)s, %(company)s", period=campaign.period, company=campaign.company_id.name
                ),
            )
            summary = [
                (env._("Surveyed"), campaign.participant_count, "integer"),
                (env._("Answered"), campaign.answered_count, "integer"),
                (env._("Response Rate (%)"), campaign.response_rate, "number"),
                (env._("Overall Score"), campaign.score_overall, "number"),
                (env._("Previous Score"), campaign.score_previous or None, "number"),
                (env._("CSAT (%)"), campaign.csat, "number"),
                (env._("Dissatisfied"), campaign.dissatisfied_count, "integer"),
            ]
            sheet.table(
                [
                    Column(lambda row: row[0], env._("Measure"), width=28),
                    Column(
                        lambda row: Cell(row[1], kind=row[2]), env._("Value"), "number", width=14, digits=1
                    ),
                ],
                summary,
                freeze=False,
                autofilter=False,
            )
            selections = dict(env["qms.satisfaction.score"]._fields["item"]._description_selection(env))

            def flagged(value):
                return Cell(value, highlight=None if value >= threshold else "overdue")

            sheet = builder.add_sheet(env._("Items"))
            sheet.title(
                env._("Scores per Item"), env._("Acceptable from %(threshold)s points", threshold=threshold)
            )
            sheet.table(
                [
                    Column(lambda line: selections.get(line.item, line.item), env._("Item"), width=22),
                    Column("subitem", env._("Sub-item"), width=22),
                    Column(lambda line: flagged(line.score), env._("Score"), "number", width=10, digits=1),
                    Column(
                        lambda line: line.score_previous or None,
                        env._("Previous"),
                        "number",
                        width=10,
                        digits=1,
                    ),
                    Column(
                        lambda line: line.trend if line.score_previous else None,
                        env._("Trend"),
                        "number",
                        10,
                        1,
                    ),
                    Column("answer_count", env._("Ratings"), "integer", width=10),
                ],
                data["items"],
            )
            sheet = builder.add_sheet(env._("Customers"))
            sheet.title(env._("Scores per Customer"))
            sheet.table(
                [
                    Column("partner_id.display_name", env._("Customer"), width=32),
                    Column("draw_note", env._("Why Surveyed"), width=30),
                    *(
                        Column(
                            lambda p, item=item: (p.item_scores or {}).get(item, [None])[0],
                            label,
                            "number",
                            width=12,
                            digits=1,
                        )
                        for item, label in data["item_columns"]
                    ),
                    Column(lambda p: flagged(p.score), env._("Score"), "number", width=10, digits=1),
                    Column(
                        lambda p: p.score_previous if p.has_previous else None,
                        env._("Previous"),
                        "number",
                        10,
                        1,
                    ),
                    Column(
                        lambda p: p.score_trend if p.has_previous else None, env._("Trend"), "number", 10, 1
                    ),
                    Column("csat", env._("CSAT (%)"), "number", width=10, digits=1),
                    Column("dissatisfied", env._("Dissatisfied"), "yes_no", width=12),
                    Column("comment", env._("Complaints or Suggestions"), "wrap", width=40),
                ],
                data["customers"],
            )
            sheet = builder.add_sheet(env._("Follow-up"))
            sheet.title(env._("Follow-up"))
            visit_states = dict(env["qms.visit"]._fields["state"]._description_selection(env))
            sheet.table(
                [
                    Column("name", env._("Visit"), width=18),
                    Column("partner_id.display_name", env._("Customer"), width=32),
                    Column("user_id.name", env._("Responsible"), width=18),
                    Column(lambda v: visit_states.get(v.state, v.state), env._("Status"), width=14),
                ],
                data["visits"],
            )
            action_states = dict(env["qms.action"]._fields["state"]._description_selection(env))
            sheet.table(
                [
                    Column("name", env._("Action"), width=18),
                    Column("description", env._("Description"), "wrap", width=60),
                    Column("user_id.name", env._("Responsible"), width=18),
                    Column("date_deadline", env._("Deadline"), "date", width=12),
                    Column(lambda a: action_states.get(a.state, a.state), env._("Status"), width=14),
                ],
                data["actions"],
                freeze=False,
            )
            self._qms_service_sheet(builder, data["service"], threshold)
            return builder.close()

    def _qms_service_sheet(self, builder, service, threshold):
        """The service ratings of the period (对服务人员的品评): the share of each level per
        criterion, then each surveyed customer's ratings on the survey's scale."""
        env = self.env
        sheet = builder.add_sheet(env._("Service Ratings"))
        sheet.title(
            env._("Service Ratings"),
            env._(
                "Recorded from %(date_from)s to %(date_to)s: %(count)s",
                date_from=service["date_from"],
                date_to=service["date_to"],
                count=service["count"],
            ),
        )
        sheet.table(
            [
                Column(lambda line: line["criterion"], env._("Criterion"), width=24),
                *(
                    Column(
                        lambda line, index=index: line["shares"][index],
                        f"{label} (%)",
                        "number",
                        width=14,
                        digits=1,
                    )
                    for index, (_level, label) in enumerate(service["levels"])
                ),
                Column(lambda line: line["count"], env._("Ratings"), "integer", width=10),
            ],
            service["summary"],
            freeze=False,
            autofilter=False,
        )
        sheet.table(
            [
                Column(lambda line: line["participant"].partner_id.display_name, env._("Customer"), width=32),
                Column(lambda line: line["count"], env._("Ratings"), "integer", width=10),
                *(
                    Column(
                        lambda line, index=index: (
                            None
                            if line["scores"][index] is None
                            else Cell(
                                line["scores"][index],
                                highlight=None if line["scores"][index] >= threshold else "overdue",
                            )
                        ),
                        label,
                        "number",
                        width=16,
                        digits=1,
                    )
                    for index, (_name, label) in enumerate(service["criteria"])
                ),
            ],
            service["customers"],
            freeze=False,
        )
