import logging
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools.translate import LazyTranslate

from ..tools.download import store_file
from ..tools.xlsx import Cell, Column, XlsxBuilder
from .qms_workflow_mixin import Transition

# pylint: disable=prefer-env-translation
_lt = LazyTranslate(__name__)
_logger = logging.getLogger(__name__)

SALES = "qms_customer.group_qms_sales"
GM = "qms_customer.group_qms_general_manager"
MREP = "qms_customer.group_qms_management_rep"
HALVES = [("1", "H1 (January–June)"), ("2", "H2 (July–December)")]
FIGURES = (
    "revenue_current",
    "revenue_previous",
    "revenue_growth",
    "key_account_count",
    "customer_start_count",
    "customer_new_count",
    "customer_lost_count",
    "new_rate",
    "churn_rate",
)


class QmsKeyAccountEvaluation(models.Model):
    """The half-year evaluation of key account development and maintenance (半年评估, seed 001
    §3.6), computed from the company's confirmed sale orders (state "sales order").

    Definitions (the form's help repeats them):

    * **Revenue**: untaxed amount of confirmed orders by order date (in the company's zone), in the
      company currency (other currencies converted at the rate of the half's last day). Orders are
      what the procedure counts as sales; invoices may lag behind the half and are not used.
    * **Customer**: the company (commercial partner) of an order. Its first confirmed order of this
      company makes it a customer; a customer marked lost (``qms_date_lost``) stops being one,
      until it orders again (which clears the lost date).
    * **Customers at the start**: first order before the half began, not lost before it began.
    * **New customers**: first order within the half. **Lost customers**: customers at the start
      whose lost date falls within the half.
    * **Revenue growth rate** of the key accounts (customers marked key account when computed):
      (revenue of the half − revenue of the previous half) ÷ revenue of the previous half.
    * **New-customer development rate**: new customers ÷ customers at the start.
    * **Churn rate**: lost customers ÷ customers at the start.

    Computed with a constant number of queries, whatever the number of customers and orders: two
    grouped reads of the orders, one read of the customers' classification, one per currency.
    """

    _name = "qms.key.account.evaluation"
    _description = "Key Account Half-year Evaluation"
    _inherit = ["qms.workflow.mixin", "mail.thread", "mail.activity.mixin"]
    _order = "year desc, half desc, id desc"
    _check_company_auto = True
    # The general manager, to whom the evaluation is sent, comments on it (and attaches to it).
    _mail_post_access = "read"
    _qms_final_states = ("sent",)
    _qms_workflow_fields = ("state", "date_computed", "computed_by_id", "date_sent", "sent_by_id", *FIGURES)
    _qms_fixed_fields = ("year", "half")
    _qms_role_fields = {(SALES, MREP): ("strategy",)}
    _qms_transitions = {
        "compute": Transition(("draft", "computed"), (SALES, MREP), _lt("compute")),
        "send": Transition(("computed",), (SALES, MREP), _lt("send")),
    }

    name = fields.Char(compute="_compute_period", store=True, string="Half Year")
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda s: s.env.company, readonly=True
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    year = fields.Integer(required=True, default=lambda s: fields.Date.context_today(s).year)
    half = fields.Selection(HALVES, required=True, default="1")
    date_start = fields.Date(compute="_compute_period", store=True, string="From")
    date_end = fields.Date(compute="_compute_period", store=True, string="To")
    date_previous = fields.Date(
        compute="_compute_period",
        store=True,
        string="Previous Half From",
        help="Start of the half compared to.",
    )
    state = fields.Selection(
        [("draft", "Draft"), ("computed", "Computed"), ("sent", "Sent")],
        default="draft",
        required=True,
        index=True,
        tracking=True,
        copy=False,
        group_expand="_qms_group_expand_states",
    )
    can_compute = fields.Boolean(compute="_compute_qms_can")
    can_send = fields.Boolean(compute="_compute_qms_can")
    revenue_current = fields.Monetary(string="Key Account Revenue", readonly=True, copy=False)
    revenue_previous = fields.Monetary(string="Previous Half Revenue", readonly=True, copy=False)
    revenue_growth = fields.Float(
        string="Sales Revenue Growth Rate (%)", readonly=True, copy=False, digits=(16, 1)
    )
    key_account_count = fields.Integer(string="Number of Key Accounts", readonly=True, copy=False)
    customer_start_count = fields.Integer(string="Customers at Start", readonly=True, copy=False)
    customer_new_count = fields.Integer(string="New Customers", readonly=True, copy=False)
    customer_lost_count = fields.Integer(string="Lost Customers", readonly=True, copy=False)
    new_rate = fields.Float(
        string="New-customer Development Rate (%)", readonly=True, copy=False, digits=(16, 1)
    )
    churn_rate = fields.Float(string="Customer Churn Rate (%)", readonly=True, copy=False, digits=(16, 1))
    line_ids = fields.One2many("qms.key.account.evaluation.line", "evaluation_id", string="Key Accounts")
    strategy = fields.Html(
        string="Strategy and Improvement Measures",
        help="What the business unit does about the figures: how it raises the growth rate, develops new "
        "customers and keeps the old ones.",
    )
    date_computed = fields.Datetime(string="Computed On", readonly=True, copy=False)
    computed_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    date_sent = fields.Datetime(string="Sent On", readonly=True, copy=False, tracking=True)
    sent_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    # The last XLSX downloaded from the form (the general manager gets the sent one in the chatter).
    xlsx_file = fields.Binary(string="XLSX", readonly=True, attachment=True, copy=False)

    _sql_constraints = [
        ("half_unique", "unique(company_id, year, half)", "A company evaluates each half year once."),
    ]

    @api.depends("year", "half")
    def _compute_period(self):
        for evaluation in self:
            if not evaluation.year or not evaluation.half:
                evaluation.update(
                    {"name": False, "date_start": False, "date_end": False, "date_previous": False}
                )
                continue
            start = date(evaluation.year, 1 if evaluation.half == "1" else 7, 1)
            evaluation.name = f"{evaluation.year} H{evaluation.half}"
            evaluation.date_start = start
            evaluation.date_end = start + relativedelta(months=6, days=-1)
            evaluation.date_previous = start - relativedelta(months=6)

    @api.constrains("year")
    def _check_year(self):
        for evaluation in self:
            if not 2000 <= evaluation.year <= 2100:
                raise ValidationError(self.env._("%(year)s is not a year to evaluate.", year=evaluation.year))

    @api.ondelete(at_uninstall=False)
    def _unlink_only_draft(self):
        if any(evaluation.state != "draft" for evaluation in self):
            raise UserError(
                self.env._("A computed evaluation is kept: compute it again instead of deleting it.")
            )

    # ------------------------------------------------------------------ computation
    def action_compute(self):
        self._qms_ensure_can("compute")
        for evaluation in self:
            evaluation._qms_compute()
        return True

    def _qms_figures(self):
        """(figures, {customer id: (revenue, previous revenue)} of the key accounts) of this half,
        in a constant number of queries; a UserError when there is nothing to compare with."""
        self.ensure_one()
        company = self.company_id
        # The whole company's orders and customers, whoever computes it.
        orders = self.env["sale.order"].sudo().with_context(active_test=False)
        partners = self.env["res.partner"].sudo().with_context(active_test=False)
        start = company._qms_local_to_utc(self.date_start)
        end = company._qms_local_to_utc(self.date_end + timedelta(days=1))
        previous = company._qms_local_to_utc(self.date_previous)
        confirmed = [("company_id", "=", company.id), ("state", "=", "sale")]
        first = {
            customer.id: first_order
            for customer, first_order in orders._read_group(
                [*confirmed, ("date_order", "<", end)], ["qms_customer_id"], ["date_order:min"]
            )
            if customer
        }
        classified = partners.search_fetch(
            [
                ("id", "in", list(first)),
                "|",
                ("qms_key_account", "=", True),
                ("qms_date_lost", "!=", False),
            ],
            ["qms_key_account", "qms_date_lost"],
        )
        lost = {partner.id: partner.qms_date_lost for partner in classified if partner.qms_date_lost}
        keys = [partner.id for partner in classified if partner.qms_key_account]
        at_start = {
            customer
            for customer, first_order in first.items()
            if first_order < start and not (customer in lost and lost[customer] < self.date_start)
        }
        new = [customer for customer, first_order in first.items() if first_order >= start]
        gone = [customer for customer in at_start if customer in lost and lost[customer] <= self.date_end]
        revenue = {customer: [0.0, 0.0] for customer in keys}
        rates = {}
        for index, (date_from, date_to) in enumerate(((start, end), (previous, start))):
            for customer, currency, amount in orders._read_group(
                [
                    *confirmed,
                    ("qms_customer_id", "in", keys),
                    ("date_order", ">=", date_from),
                    ("date_order", "<", date_to),
                ],
                ["qms_customer_id", "currency_id"],
                ["amount_untaxed:sum"],
            ):
                if currency not in rates:
                    rates[currency] = currency._get_conversion_rate(
                        currency, company.currency_id, company, self.date_end
                    )
                revenue[customer.id][index] += amount * rates[currency]
        current = company.currency_id.round(sum(values[0] for values in revenue.values()))
        before = company.currency_id.round(sum(values[1] for values in revenue.values()))
        if not before:
            raise UserError(
                self.env._(
                    "%(evaluation)s: the key accounts had no confirmed sales in the previous half year "
                    "(from %(date)s): there is no revenue to compute a growth rate from.",
                    evaluation=self.display_name,
                    date=self.date_previous,
                )
            )
        if not at_start:
            raise UserError(
                self.env._(
                    "%(evaluation)s: %(company)s had no customers when the half year began (no confirmed "
                    "order before %(date)s): the development and churn rates cannot be computed.",
                    evaluation=self.display_name,
                    company=company.display_name,
                    date=self.date_start,
                )
            )
        figures = {
            "revenue_current": current,
            "revenue_previous": before,
            "revenue_growth": (current - before) / before * 100,
            "key_account_count": len(keys),
            "customer_start_count": len(at_start),
            "customer_new_count": len(new),
            "customer_lost_count": len(gone),
            "new_rate": len(new) / len(at_start) * 100,
            "churn_rate": len(gone) / len(at_start) * 100,
        }
        return figures, revenue

    def _qms_compute(self):
        """Compute the figures and the key account lines again (figures first: nothing changes
        when they cannot be computed)."""
        self.ensure_one()
        figures, revenue = self._qms_figures()
        lines = self.env["qms.key.account.evaluation.line"].sudo()
        self.line_ids.sudo().unlink()
        lines.create(
            [
                {
                    "evaluation_id": self.id,
                    "partner_id": customer,
                    "revenue_current": current,
                    "revenue_previous": before,
                    "has_previous": bool(before),
                    "growth": (current - before) / before * 100 if before else 0.0,
                }
                for customer, (current, before) in revenue.items()
            ]
        )
        self._qms_workflow_write(
            {
                **figures,
                "state": "computed",
                "date_computed": fields.Datetime.now(),
                "computed_by_id": self.env.uid,
            }
        )

    # ------------------------------------------------------------------ sending
    def action_send(self):
        """Send the evaluation, PDF and XLSX, to the general managers of the company."""
        self._qms_ensure_can("send")
        for evaluation in self:
            if not evaluation.company_id._qms_users_in(GM):
                raise UserError(
                    self.env._(
                        "%(company)s has no general manager to send %(evaluation)s to.",
                        company=evaluation.company_id.display_name,
                        evaluation=evaluation.display_name,
                    )
                )

        def files(evaluation, pdf):
            name = evaluation.env._("Key Account Evaluation %(half)s", half=evaluation.name)
            return [(f"{name}.pdf", pdf), (f"{name}.xlsx", evaluation._qms_xlsx())]

        def body(evaluation):
            return evaluation.env._(
                "Half-year key account evaluation %(half)s: sales revenue growth rate %(growth).1f %%, "
                "new-customer development rate %(new).1f %%, customer churn rate %(churn).1f %%. The report "
                "is attached (PDF and XLSX).",
                half=evaluation.name,
                growth=evaluation.revenue_growth,
                new=evaluation.new_rate,
                churn=evaluation.churn_rate,
            )

        self._qms_send_to_management(
            "qms_customer.action_report_qms_key_account_evaluation", (GM,), files, body
        )
        self._qms_workflow_write(
            {"state": "sent", "date_sent": fields.Datetime.now(), "sent_by_id": self.env.uid}
        )
        return True

    def action_download_xlsx(self):
        """The computed evaluation as a workbook, for whoever computes and sends it."""
        self.ensure_one()
        if self.state == "draft":
            raise UserError(self.env._("Compute %(evaluation)s first.", evaluation=self.display_name))
        name = self.env._("Key Account Evaluation %(half)s", half=self.name)
        return {
            "type": "ir.actions.act_url",
            "url": store_file(self, "xlsx_file", self._qms_xlsx(), f"{name}.xlsx"),
            "target": "self",
        }

    def _qms_xlsx(self):
        """The evaluation as a workbook (shared XLSX builder): the figures and the key accounts."""
        self.ensure_one()
        env, company = self.env, self.company_id
        with XlsxBuilder(
            tz=company._qms_tz(),
            money_digits=company.currency_id.decimal_places,
            yes_no=(env._("Yes"), env._("No")),
        ) as builder:
            sheet = builder.add_sheet(env._("Evaluation"))
            sheet.title(
                env._("Key Account Evaluation %(half)s", half=self.name),
                env._(
                    "%(company)s, from %(start)s to %(end)s",
                    company=company.name,
                    start=self.date_start,
                    end=self.date_end,
                ),
            )
            rows = [
                (env._("Key Account Revenue"), self.revenue_current, "money"),
                (env._("Previous Half Revenue"), self.revenue_previous, "money"),
                (env._("Sales Revenue Growth Rate (%)"), self.revenue_growth, "number"),
                (env._("Customers at Start"), self.customer_start_count, "integer"),
                (env._("New Customers"), self.customer_new_count, "integer"),
                (env._("New-customer Development Rate (%)"), self.new_rate, "number"),
                (env._("Lost Customers"), self.customer_lost_count, "integer"),
                (env._("Customer Churn Rate (%)"), self.churn_rate, "number"),
            ]
            sheet.table(
                [
                    Column(lambda row: row[0], env._("Measure"), width=36),
                    Column(
                        lambda row: Cell(row[1], kind=row[2]), env._("Value"), "number", width=16, digits=1
                    ),
                ],
                rows,
                freeze=False,
                autofilter=False,
            )
            sheet = builder.add_sheet(env._("Key Accounts"))
            sheet.title(env._("Revenue per Key Account"))
            sheet.table(
                [
                    Column("partner_id.display_name", env._("Customer"), width=32),
                    Column("revenue_current", env._("Revenue"), "money", width=16),
                    Column("revenue_previous", env._("Previous Half"), "money", width=16),
                    Column(
                        lambda line: line.growth if line.has_previous else None,
                        env._("Growth (%)"),
                        "number",
                        width=12,
                        digits=1,
                    ),
                ],
                self.line_ids,
            )
            return builder.close()

    # ------------------------------------------------------------------ scheduled action
    @api.model
    def _qms_half_ended(self, today):
        """(year, half) of the half year that ended last before ``today``."""
        return (today.year - 1, "2") if today.month <= 6 else (today.year, "1")

    @api.model
    def _cron_qms_key_account_evaluation(self):
        """Create and compute each company's evaluation of the half year that just ended, once: an
        evaluation already computed or sent is left alone; one that cannot be computed stays a
        draft with the reason in its chatter."""
        companies = self.env["res.company"].search([("active", "=", True)])
        existing = {
            (evaluation.company_id.id, evaluation.year, evaluation.half): evaluation
            for evaluation in self.search_fetch(
                [("company_id", "in", companies.ids)], ["company_id", "year", "half", "state"]
            )
        }
        for company in companies:
            year, half = self._qms_half_ended(company._qms_local_today())
            evaluation = existing.get((company.id, year, half))
            if evaluation and evaluation.state != "draft":
                continue
            if not evaluation:
                evaluation = self.with_company(company).create(
                    {"company_id": company.id, "year": year, "half": half}
                )
            try:
                with self.env.cr.savepoint():
                    evaluation._qms_compute()
            except UserError as error:
                _logger.info("Key account evaluation of %s: %s", company.display_name, error)
                evaluation._qms_system_post(str(error))
            except Exception:
                _logger.exception("Key account evaluation of %s could not be computed", company.display_name)
