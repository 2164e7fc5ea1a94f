import contextlib

from markupsafe import Markup

from odoo import SUPERUSER_ID, api, fields, models
from odoo.exceptions import UserError, ValidationError

from .qms_complaint_source import COMPLAINT_GROUPS
from .qms_workflow_mixin import _GRANTS, qms_changed_fields, qms_is_default

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
    qms_complaint_ids = fields.One2many(
        "qms.complaint", "partner_id", string="Complaints", groups=COMPLAINT_GROUPS
    )
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

    def _qms_check_lifecycle(self, vals, creating=False):
        """Only the first confirmed order makes a customer active (``_qms_activate``, written by the
        system): sales set potential, intention and lost. The administrator may set it by hand, as
        when importing a plant's existing customers on day one."""
        names = {"qms_lifecycle", "qms_date_active"} & set(vals)
        if not names or self.env.su or self.env.user.has_group("base.group_system"):
            return
        if creating:
            refused = vals.get("qms_lifecycle") == "active" or bool(vals.get("qms_date_active"))
        else:
            changed = qms_changed_fields(self, {name: vals[name] for name in names})
            refused = ("qms_lifecycle" in changed and vals["qms_lifecycle"] == "active") or (
                "qms_date_active" in changed
            )
        if refused:
            raise UserError(
                self.env._(
                    "%(customer)s becomes an active customer with its first confirmed order, not by hand: "
                    "set it to potential, intention or lost.",
                    customer=(self[:1].display_name if not creating else vals.get("name")) or "",
                )
            )

    @api.model_create_multi
    def create(self, vals_list):
        defaults = {key[8:]: value for key, value in self.env.context.items() if key.startswith("default_")}
        for vals in vals_list:
            self._qms_check_lifecycle({**defaults, **vals}, creating=True)
        return super().create(vals_list)

    def write(self, vals):
        self._qms_check_lifecycle(vals)
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


# The confidential customer file (客户档案, seed 001): readable and writable only by the file
# owners (sales director, 营销总公司总经理) and the general manager; approved by a file owner.
FILE_OWNER = "qms_customer.group_qms_customer_file"
FILE_GROUPS = "qms_customer.group_qms_customer_file,qms_customer.group_qms_general_manager"
CREDIT_STATUSES = [
    ("good", "Sound"),
    ("normal", "Fair"),
    ("watch", "Watch"),
    ("poor", "High Risk"),
]
# What the file holds: a change to any of them sends an approved file back for approval.
FILE_CONTENT_FIELDS = (
    "qms_file_document_ids",
    "qms_file_credit_status",
    "qms_file_credit_notes",
    "qms_file_production_process",
    "qms_file_scale",
    "qms_file_materials",
    "qms_file_investment",
    "qms_file_transaction_notes",
)
# Written only by the file's actions: its approval and its half-year review.
FILE_WORKFLOW_FIELDS = (
    "qms_file_state",
    "qms_file_approved_by_id",
    "qms_file_date_approved",
    "qms_file_date_reviewed",
)
FILE_SYNCED_FIELDS = FILE_CONTENT_FIELDS + FILE_WORKFLOW_FIELDS


class ResPartnerCustomerFile(models.Model):
    """The confidential file of a customer, kept on its commercial entity (contacts show their
    company's). Every field carries ``groups=``: Odoo then leaves it out of read, search, export,
    fields_get, the views and the chatter's tracking values for everybody else, and the file's
    documents are attachments of the field itself (``res_field``), which Odoo refuses to whoever
    may not read that field."""

    _inherit = "res.partner"

    qms_file_state = fields.Selection(
        [("draft", "Waiting for Approval"), ("approved", "Approved")],
        string="Customer File Status",
        default="draft",
        copy=False,
        index=True,
        tracking=True,
        groups=FILE_GROUPS,
        help="A change to the file sends it back for approval by a customer file owner.",
    )
    qms_file_approved_by_id = fields.Many2one(
        "res.users", string="File Approved By", readonly=True, copy=False, tracking=True, groups=FILE_GROUPS
    )
    qms_file_date_approved = fields.Datetime(
        string="File Approved On", readonly=True, copy=False, groups=FILE_GROUPS
    )
    qms_file_date_reviewed = fields.Date(
        string="File Last Reviewed",
        readonly=True,
        copy=False,
        tracking=True,
        groups=FILE_GROUPS,
        help="The last half-year review of the file; a new review is due when it is older than the "
        "company's review interval.",
    )
    qms_file_document_ids = fields.Many2many(
        "ir.attachment",
        "qms_partner_file_attachment_rel",
        "partner_id",
        "attachment_id",
        string="Licence and Legal Documents",
        copy=False,
        tracking=True,
        groups=FILE_GROUPS,
        help="Business licence, legal documents and contracts: readable only by the customer file owners "
        "and the general manager.",
    )
    qms_file_credit_status = fields.Selection(
        CREDIT_STATUSES, string="Credit Status", copy=False, tracking=True, groups=FILE_GROUPS
    )
    qms_file_credit_notes = fields.Text(
        string="Credit Limit Notes", copy=False, tracking=True, groups=FILE_GROUPS
    )
    qms_file_production_process = fields.Text(
        string="Production Process", copy=False, tracking=True, groups=FILE_GROUPS
    )
    qms_file_scale = fields.Text(
        string="Scale",
        copy=False,
        tracking=True,
        groups=FILE_GROUPS,
        help="Employees, plants, capacity, turnover.",
    )
    qms_file_materials = fields.Text(string="Materials Used", copy=False, tracking=True, groups=FILE_GROUPS)
    qms_file_investment = fields.Text(string="Investment", copy=False, tracking=True, groups=FILE_GROUPS)
    qms_file_transaction_notes = fields.Text(
        string="Transaction Notes", copy=False, tracking=True, groups=FILE_GROUPS
    )
    qms_file_filled = fields.Boolean(
        string="Has a Customer File",
        compute="_compute_qms_file_filled",
        store=True,
        groups=FILE_GROUPS,
    )
    qms_file_review_ids = fields.One2many(
        "qms.customer.file.review", "partner_id", string="File Reviews", groups=FILE_GROUPS
    )

    @api.model
    def _commercial_fields(self):
        return super()._commercial_fields() + list(FILE_SYNCED_FIELDS)

    @api.depends(*FILE_CONTENT_FIELDS)
    def _compute_qms_file_filled(self):
        for partner in self:
            partner.qms_file_filled = any(partner[name] for name in FILE_CONTENT_FIELDS)

    # ------------------------------------------------------------------ guard
    @contextlib.contextmanager
    def _qms_file_granted(self):
        """The file's own actions may write its workflow fields (the grant of the workflow mixin:
        a context variable an RPC caller cannot set)."""
        token = _GRANTS.set(_GRANTS.get() | {(self._name, name) for name in FILE_WORKFLOW_FIELDS})
        try:
            yield
        finally:
            _GRANTS.reset(token)

    def _qms_file_write(self, vals):
        with self._qms_file_granted():
            return self.write(vals)

    def _qms_file_check_vals(self, vals, creating=False):
        names = set(vals) & set(FILE_SYNCED_FIELDS)
        if not names or self.env.su:
            return
        # Only a real change of the file is guarded: a new partner with the file's defaults (a user's
        # partner through ``_inherits``, a contact, an import) or the stored value written back is none.
        if creating:
            names = {name for name in names if not qms_is_default(self, name, vals[name])}
        else:
            names = qms_changed_fields(self, {name: vals[name] for name in names})
        if not names:
            return
        # Who may not touch the file at all is told so by Odoo's own field access error.
        self.check_field_access_rights("write", sorted(names))
        granted = {name for model, name in _GRANTS.get() if model == self._name}
        refused = (names & set(FILE_WORKFLOW_FIELDS)) - granted
        if refused:
            raise UserError(
                self.env._(
                    "%(fields)s of %(model)s can only be changed by the workflow buttons, not edited "
                    "directly.",
                    fields=", ".join(sorted(self._fields[n]._description_string(self.env) for n in refused)),
                    model=self.env["ir.model"]._get(self._name).display_name,
                )
            )
        contacts = not creating and names & set(FILE_CONTENT_FIELDS) and self.filtered("parent_id")
        if contacts:
            raise UserError(
                self.env._(
                    "%(contact)s is a contact of %(customer)s: its customer file is kept on %(customer)s.",
                    contact=contacts[:1].display_name,
                    customer=contacts[:1].commercial_partner_id.display_name,
                )
            )

    @api.model_create_multi
    def create(self, vals_list):
        defaults = {key[8:]: value for key, value in self.env.context.items() if key.startswith("default_")}
        for vals in vals_list:
            self._qms_file_check_vals({**defaults, **vals}, creating=True)
        partners = super().create(vals_list)
        if any(vals.get("qms_file_document_ids") for vals in vals_list):
            partners._qms_file_claim_documents()
        return partners

    def write(self, vals):
        self._qms_file_check_vals(vals)
        reopened = self.browse()
        content = set(vals) & set(FILE_CONTENT_FIELDS)
        if (
            content
            and "qms_file_state" not in vals
            and qms_changed_fields(self, {name: vals[name] for name in content})
        ):
            reopened = self.sudo().filtered(lambda p: p.qms_file_state == "approved" and not p.parent_id)
            if reopened:
                vals = {
                    **vals,
                    "qms_file_state": "draft",
                    "qms_file_approved_by_id": False,
                    "qms_file_date_approved": False,
                }
                with self._qms_file_granted():
                    result = super().write(vals)
            else:
                result = super().write(vals)
        else:
            result = super().write(vals)
        if vals.get("qms_file_document_ids"):
            self._qms_file_claim_documents()
        if reopened:
            reopened.with_env(self.env)._qms_file_ask_approval()
        return result

    def _qms_file_claim_documents(self):
        """The file's documents become attachments of the field itself (``res_field``): Odoo then
        refuses them to whoever may not read the field, and hides them from the chatter's list.
        Only the user's own pending uploads and the customer's own attachments can be filed: ids
        are sequential, and another record's attachment is not this file's to take."""
        for partner in self.filtered(lambda p: not p.parent_id):
            documents = partner.sudo().qms_file_document_ids
            foreign = documents.filtered(
                lambda a, partner=partner: not (
                    (a.res_model == partner._name and a.res_id == partner.id)
                    or (not a.res_id and (self.env.su or a.create_uid.id == self.env.uid))
                )
            )
            if foreign:
                raise UserError(
                    self.env._(
                        "%(files)s belongs to another document or was uploaded by someone else: upload "
                        "it again to add it to the customer file.",
                        files=", ".join(foreign.mapped("name")),
                    )
                )
            documents.filtered(lambda a: a.res_field != "qms_file_document_ids").write(
                {"res_model": partner._name, "res_id": partner.id, "res_field": "qms_file_document_ids"}
            )

    # ------------------------------------------------------------------ approval
    def _qms_file_owners(self):
        """The customer file owners of the company the customer belongs to (else the user's)."""
        self.ensure_one()
        return (self.sudo().company_id or self.env.company)._qms_users_in(FILE_OWNER)

    def _qms_file_open_todos(self):
        """{(partner id, user)} of the system to-dos open on these files."""
        todo_type = self.env["ir.model.data"]._xmlid_to_res_id("mail.mail_activity_data_todo")
        root = self.env["ir.model.data"]._xmlid_to_res_id("base.user_root")
        return (
            self.env["mail.activity"]
            .sudo()
            .search(
                [
                    ("res_model", "=", self._name),
                    ("res_id", "in", self.ids),
                    ("activity_type_id", "=", todo_type),
                    ("create_uid", "=", root),
                ]
            )
        )

    def _qms_file_ask_approval(self):
        """An approved file changed: the file owners are told by the system, and each gets one
        to-do to approve it again (one per file and owner while it waits)."""
        root = self.env.ref("base.partner_root")
        todo_type = self.env["ir.model.data"]._xmlid_to_res_id("mail.mail_activity_data_todo")
        model_id = self.env["ir.model"]._get_id(self._name)
        waiting = {(a.res_id, a.user_id) for a in self._qms_file_open_todos()}
        todos = []
        for partner in self:
            owners = partner._qms_file_owners().filtered(lambda u, p=partner: (p.id, u) not in waiting)
            owners -= self.env.user
            if not owners:
                continue
            env = partner.with_context(lang=owners[:1].lang or self.env.lang).env
            partner.sudo().message_post(
                body=Markup("<p>%s</p>")
                % env._(
                    "The customer file of %(customer)s was changed by %(user)s and waits for approval "
                    "again.",
                    customer=partner.display_name,
                    user=self.env.user.name,
                ),
                author_id=root.id,
                email_from=root.email_formatted,
                partner_ids=owners.partner_id.ids,
                subtype_xmlid="mail.mt_note",
            )
            for owner in owners:
                local = partner.with_context(lang=owner.lang or self.env.lang, tz=owner.tz or "UTC")
                todos.append(
                    {
                        "res_model_id": model_id,
                        "res_id": partner.id,
                        "activity_type_id": todo_type,
                        "user_id": owner.id,
                        "summary": local.env._("Approve the customer file of %s", partner.display_name),
                        "date_deadline": fields.Date.context_today(local),
                    }
                )
        if todos:
            self.env["mail.activity"].with_user(SUPERUSER_ID).with_context(
                mail_activity_quick_update=True
            ).create(todos)

    def action_qms_file_approve(self):
        """A customer file owner approves the file as it stands (who and when are kept)."""
        if not self.env.su and not self.env.user.has_group(FILE_OWNER):
            raise UserError(
                self.env._(
                    "You are not allowed to approve customer files: %(roles)s only.",
                    roles=self.env.ref(FILE_OWNER).sudo().display_name,
                )
            )
        self.check_access("write")
        for partner in self:
            if partner.parent_id:
                raise UserError(
                    self.env._(
                        "%(contact)s is a contact of %(customer)s: approve the customer file of "
                        "%(customer)s.",
                        contact=partner.display_name,
                        customer=partner.commercial_partner_id.display_name,
                    )
                )
            if partner.qms_file_state == "approved":
                raise UserError(
                    self.env._("The customer file of %s is already approved.", partner.display_name)
                )
        self._qms_file_write(
            {
                "qms_file_state": "approved",
                "qms_file_approved_by_id": self.env.uid,
                "qms_file_date_approved": fields.Datetime.now(),
            }
        )
        todos = self._qms_file_open_todos()
        if todos:
            todos.action_feedback(feedback=self.env._("Approved."))
        return True

    def _qms_file_reviewed(self, day):
        """A half-year review of the file was completed on ``day`` (called by the review)."""
        self.sudo()._qms_file_write({"qms_file_date_reviewed": day})

    def action_view_qms_file_reviews(self):
        self.ensure_one()
        return self._qms_customer_action("qms_customer.action_qms_customer_file_review")
