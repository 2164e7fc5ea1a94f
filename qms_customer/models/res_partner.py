from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .qms_complaint_source import COMPLAINT_GROUPS

# Who reads customer property: sales (their own customers'), the warehouse, quality, R&D, management.
PROPERTY_GROUPS = (
    "qms_customer.group_qms_sales,qms_customer.group_qms_warehouse,qms_customer.group_qms_quality,"
    "qms_customer.group_qms_technical,qms_customer.group_qms_general_manager,"
    "qms_customer.group_qms_management_rep"
)
# Who reads sealed samples: the readers of complaints (sales their own customers').
SAMPLE_GROUPS = COMPLAINT_GROUPS
# Who reads satisfaction results: sales (their own customers'), quality and management.
SATISFACTION_GROUPS = (
    "qms_customer.group_qms_sales,qms_customer.group_qms_quality,qms_customer.group_qms_general_manager,"
    "qms_customer.group_qms_management_rep"
)
# Who reads customer visits: sales (their own customers'), quality, R&D and management.
VISIT_GROUPS = (
    "qms_customer.group_qms_sales,qms_customer.group_qms_quality,qms_customer.group_qms_technical,"
    "qms_customer.group_qms_general_manager,qms_customer.group_qms_management_rep"
)
# Who reads the customer information register: sales (their own customers'), quality, R&D (the
# chief engineer receives the important information) and management.
INFO_GROUPS = VISIT_GROUPS
# The register's counts per information type shown on the customer: {info_type: field}.
INFO_COUNT_FIELDS = {
    "current_product": "qms_info_current_product_count",
    "future_product": "qms_info_future_product_count",
    "quality_problem": "qms_info_quality_problem_count",
    "commitment": "qms_info_commitment_count",
    "suggestion": "qms_info_suggestion_count",
}


# Who reads service ratings: sales (their own customers'), quality and management.
RATING_GROUPS = SATISFACTION_GROUPS


class ResPartner(models.Model):
    _inherit = ["res.partner", "qms.return.source"]
    _name = "res.partner"

    qms_response_profile_id = fields.Many2one(
        "qms.response.profile",
        string="Response Profile",
        index="btree_not_null",
        help="Deadlines this customer demands; empty means the company defaults apply.",
    )
    qms_sample_quarterly_check = fields.Boolean(
        string="Checks Samples Quarterly",
        help="The customer checks its sealed samples every quarter: they are verified every three months "
        "instead of their category's cycle.",
    )
    qms_customer_property_count = fields.Integer(
        compute="_compute_qms_customer_property_count",
        string="Customer Property Count",
        groups=PROPERTY_GROUPS,
    )
    qms_sample_count = fields.Integer(
        compute="_compute_qms_sample_count", string="Sample Count", groups=SAMPLE_GROUPS
    )
    qms_long_term = fields.Boolean(
        string="Long-term Customer",
        help="A long-term, stable customer: surveyed for satisfaction (all key accounts, a sample of the "
        "others).",
    )
    qms_key_account = fields.Boolean(
        string="Key Account",
        tracking=True,
        help="A large customer of strategic weight: always surveyed for satisfaction when long-term. "
        "Set by the approval of a key account plan.",
    )
    # Classification (客户分类): tier and lifecycle. Lifecycle moves: sales set potential, intention
    # and lost (with its reason); the first confirmed order of a customer not active makes it active
    # (also a lost one ordering again, which clears the lost date and reason: the chatter keeps them).
    qms_tier = fields.Selection(
        [("a", "Tier A"), ("b", "Tier B"), ("c", "Tier C"), ("d", "Tier D")],
        string="Customer Tier",
        tracking=True,
        index="btree_not_null",
        help="A: the most important customers, D: the least.",
    )
    qms_lifecycle = fields.Selection(
        [
            ("potential", "Potential"),
            ("intention", "Intention"),
            ("active", "Active Customer"),
            ("lost", "Lost Customer"),
        ],
        string="Customer Status",
        tracking=True,
        index="btree_not_null",
        help="Potential → intention → active (its first confirmed order makes it active) → lost (set by "
        "sales with the reason; ordering again makes it active again).",
    )
    qms_date_active = fields.Date(
        string="Active Since",
        tracking=True,
        help="When the customer became active (its first confirmed order).",
    )
    qms_date_lost = fields.Date(string="Lost On", tracking=True, index="btree_not_null")
    qms_lost_reason = fields.Text(string="Reason Lost", tracking=True)
    qms_satisfaction_count = fields.Integer(
        compute="_compute_qms_satisfaction_count",
        string="Satisfaction Survey Count",
        groups=SATISFACTION_GROUPS,
    )
    qms_visit_interval_months = fields.Integer(
        string="Visit Every (Months)",
        default=6,
        help="Routine visits to this customer: every half year by default, more often when the customer "
        "asks for it. The half-year plan proposes a visit when none took place within this interval.",
    )
    qms_visit_count = fields.Integer(
        compute="_compute_qms_visit_count", string="Visit Count", groups=VISIT_GROUPS
    )
    qms_customer_info_ids = fields.One2many(
        "qms.customer.info", "partner_id", string="Customer Information", groups=INFO_GROUPS
    )
    qms_customer_info_count = fields.Integer(
        compute="_compute_qms_customer_info_counts", string="Customer Information Count", groups=INFO_GROUPS
    )
    qms_info_current_product_count = fields.Integer(
        compute="_compute_qms_customer_info_counts",
        string="Expectations on Current Products",
        groups=INFO_GROUPS,
    )
    qms_info_future_product_count = fields.Integer(
        compute="_compute_qms_customer_info_counts",
        string="Expectations on Future Products",
        groups=INFO_GROUPS,
    )
    qms_info_quality_problem_count = fields.Integer(
        compute="_compute_qms_customer_info_counts", string="Quality Problems", groups=INFO_GROUPS
    )
    qms_info_commitment_count = fields.Integer(
        compute="_compute_qms_customer_info_counts",
        string="Opinions on Quality Commitments",
        groups=INFO_GROUPS,
    )
    qms_info_suggestion_count = fields.Integer(
        compute="_compute_qms_customer_info_counts", string="Suggestions", groups=INFO_GROUPS
    )
    qms_complaint_ids = fields.One2many("qms.complaint", "partner_id", string="Complaints")
    qms_recurrence_ids = fields.One2many(
        "qms.complaint",
        "partner_id",
        string="Recurrent Complaints",
        domain=[("recurrence_of_id", "!=", False)],
        groups=COMPLAINT_GROUPS,
    )
    qms_complaint_count = fields.Integer(
        compute="_compute_qms_complaint_count",
        string="Complaint Count",
        groups=COMPLAINT_GROUPS,
    )

    @api.model
    def _commercial_fields(self):
        return super()._commercial_fields() + [
            "qms_response_profile_id",
            "qms_sample_quarterly_check",
            "qms_long_term",
            "qms_key_account",
            "qms_visit_interval_months",
            "qms_tier",
            "qms_lifecycle",
            "qms_date_active",
            "qms_date_lost",
            "qms_lost_reason",
        ]

    @api.constrains("qms_visit_interval_months")
    def _check_qms_visit_interval_months(self):
        for partner in self:
            if not 1 <= partner.qms_visit_interval_months <= 12:
                raise ValidationError(
                    self.env._(
                        "%(customer)s: routine visits take place every 1 to 12 months.",
                        customer=partner.display_name,
                    )
                )

    @api.constrains("qms_lifecycle", "qms_lost_reason")
    def _check_qms_lost_reason(self):
        for partner in self:
            if partner.qms_lifecycle == "lost" and not (partner.qms_lost_reason or "").strip():
                raise ValidationError(
                    self.env._(
                        "%(customer)s: give the reason the customer was lost.", customer=partner.display_name
                    )
                )

    def write(self, vals):
        # The dates of a status set by hand: today unless given.
        status = vals.get("qms_lifecycle")
        if status == "lost" and "qms_date_lost" not in vals:
            vals = {**vals, "qms_date_lost": fields.Date.context_today(self)}
        elif status == "active" and "qms_date_active" not in vals:
            vals = {**vals, "qms_date_active": fields.Date.context_today(self)}
        return super().write(vals)

    def _qms_activate(self, orders):
        """Confirmed ``orders`` make their customers that are not active yet (potential, intention,
        unclassified or lost) active, from the order's date: one write per date, by the system."""
        by_date = {}
        for order in orders:
            customer = order.partner_id.commercial_partner_id
            if customer.qms_lifecycle == "active":
                continue
            day = fields.Date.context_today(order, order.date_order)
            if customer not in by_date or day < by_date[customer]:
                by_date[customer] = day
        grouped = {}
        for customer, day in by_date.items():
            grouped.setdefault(day, self.browse())
            grouped[day] |= customer
        for day, customers in grouped.items():
            customers.sudo().write(
                {
                    "qms_lifecycle": "active",
                    "qms_date_active": day,
                    "qms_date_lost": False,
                    "qms_lost_reason": False,
                }
            )

    def _qms_count_by_customer(self, model, field):
        """Set ``field`` to the number of ``model`` documents of each partner's customer (one query
        for all partners; contacts count their company's)."""
        counts = dict(
            self.env[model]._read_group(
                [("partner_id", "in", self.commercial_partner_id.ids)], ["partner_id"], ["__count"]
            )
        )
        for partner in self:
            partner[field] = counts.get(partner.commercial_partner_id, 0)

    def _qms_customer_action(self, xmlid):
        """The documents of this partner's customer, new ones for it."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(xmlid)
        partner = self.commercial_partner_id
        action["domain"] = [("partner_id", "=", partner.id)]
        action["context"] = {"default_partner_id": partner.id}
        return action

    def _compute_qms_customer_info_counts(self):
        """The register's entries of each partner's customer, in total and per type: one query
        (contacts count their company's)."""
        counts = {}
        for partner, info_type, count in self.env["qms.customer.info"]._read_group(
            [("partner_id", "in", self.commercial_partner_id.ids)], ["partner_id", "info_type"], ["__count"]
        ):
            counts[partner, info_type] = count
        for partner in self:
            customer = partner.commercial_partner_id
            for info_type, field in INFO_COUNT_FIELDS.items():
                partner[field] = counts.get((customer, info_type), 0)
            partner.qms_customer_info_count = sum(partner[field] for field in INFO_COUNT_FIELDS.values())

    def action_view_qms_customer_info(self):
        """The customer's register; a type given by the button (``qms_info_type``) filters it."""
        action = self._qms_customer_action("qms_customer.action_qms_customer_info")
        info_type = self.env.context.get("qms_info_type")
        if info_type in INFO_COUNT_FIELDS:
            action["context"][f"search_default_type_{info_type}"] = 1
        return action

    def action_new_qms_customer_info(self):
        """Register what this customer (or this contact of it) just told us."""
        self.ensure_one()
        customer = self.commercial_partner_id
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Register Customer Information"),
            "res_model": "qms.customer.info",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "current",
            "context": {
                "default_partner_id": customer.id,
                "default_contact_id": self.id if self != customer else False,
            },
        }

    def _compute_qms_satisfaction_count(self):
        self._qms_count_by_customer("qms.satisfaction.participant", "qms_satisfaction_count")

    def action_view_qms_satisfaction(self):
        return self._qms_customer_action("qms_customer.action_qms_satisfaction_participant")

    def _compute_qms_sample_count(self):
        self._qms_count_by_customer("qms.sample", "qms_sample_count")

    def action_view_qms_samples(self):
        return self._qms_customer_action("qms_customer.action_qms_sample")

    def _compute_qms_visit_count(self):
        self._qms_count_by_customer("qms.visit", "qms_visit_count")

    def action_view_qms_visits(self):
        return self._qms_customer_action("qms_customer.action_qms_visit")

    def _compute_qms_customer_property_count(self):
        self._qms_count_by_customer("qms.customer.property", "qms_customer_property_count")

    def action_view_qms_customer_property(self):
        return self._qms_customer_action("qms_customer.action_qms_customer_property")

    def _compute_qms_complaint_count(self):
        self._qms_count_by_customer("qms.complaint", "qms_complaint_count")

    def action_view_qms_complaints(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("qms_customer.action_qms_complaint")
        partner = self.commercial_partner_id
        action["domain"] = [("partner_id", "=", partner.id)]
        action["context"] = {"default_partner_id": partner.id, "search_default_open": 1}
        return action

    def _qms_return_field(self):
        return "partner_id"

    def _qms_return_customer(self):
        return self

    def _compute_qms_return_count(self):
        counts = dict(
            self.env["qms.return.request"]._read_group(
                [("partner_id", "in", self.commercial_partner_id.ids)], ["partner_id"], ["__count"]
            )
        )
        for partner in self:
            partner.qms_return_count = counts.get(partner.commercial_partner_id, 0)

    def action_view_qms_returns(self):
        return super(ResPartner, self.commercial_partner_id).action_view_qms_returns()

    @api.model
    def _qms_demo_set_lang(self, partner_ids, lang):
        """Demo data: write ``lang`` on the partners when that language is installed."""
        if self.env["res.lang"]._lang_get(lang):
            self.browse(partner_ids).write({"lang": lang})

    # ------------------------------------------------------------------ service ratings
    qms_service_rating_count = fields.Integer(
        compute="_compute_qms_service_rating_count", string="Service Ratings", groups=RATING_GROUPS
    )

    def _compute_qms_service_rating_count(self):
        self._qms_count_by_customer("qms.service.rating", "qms_service_rating_count")

    def action_view_qms_service_ratings(self):
        return self._qms_customer_action("qms_customer.action_qms_service_rating")
