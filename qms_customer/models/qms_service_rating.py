from dateutil.relativedelta import relativedelta
from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools.translate import LazyTranslate

from .qms_workflow_mixin import Transition, qms_changing
from .survey_question_answer import LEVEL_POINTS, SATISFACTION_LEVELS

# pylint: disable=prefer-env-translation
_lt = LazyTranslate(__name__)

SALES = "qms_customer.group_qms_sales"
QUALITY = "qms_customer.group_qms_quality"
QUALITY_MANAGER = "qms_customer.group_qms_quality_manager"
RECORDERS = (SALES, QUALITY)
# The customer's satisfaction with the service is rated in the four levels of the survey (seed 001
# 第十七条) and scored like the survey's ratings (100 / 80 / 60 / 0 points).
LEVELS = SATISFACTION_LEVELS
# The four criteria a service is rated on: attitude, technical skill, arrival time and how the
# promises made were kept (态度、技术、到达时间及答应事项的办理).
CRITERIA = ("attitude", "technical", "arrival", "promise")
RATING_FIELDS = ("staff_id", "date", "contact_id", *CRITERIA, "comment")


class QmsServiceRating(models.Model):
    """The customer's rating of a service contact (对服务人员的品评): the staff member who served it
    on site or in a visit, rated on four criteria in four levels. Recorded by sales or quality from
    the register entry or the visit, shown per customer and per staff member, and with the survey
    results of the satisfaction campaign of the period. A poor rating is reported to the staff
    member's manager and to the quality managers."""

    _name = "qms.service.rating"
    _description = "Service Rating"
    _inherit = ["qms.workflow.mixin", "mail.thread", "mail.activity.mixin"]
    _order = "date desc, id desc"
    _check_company_auto = True
    _mail_post_access = "read"
    _qms_sequence_code = "qms.service.rating"
    _qms_final_states = ("cancelled",)
    _qms_workflow_fields = ("state", "recorded_by_id", "cancel_reason")
    _qms_fixed_fields = ("name", "partner_id", "customer_info_id", "visit_id")
    _qms_role_fields = {RECORDERS: RATING_FIELDS}
    _qms_transitions = {
        "cancel": Transition(("recorded",), RECORDERS, _lt("cancel")),
    }

    name = fields.Char(
        string="Reference", required=True, readonly=True, copy=False, default=lambda s: s.env._("New")
    )
    active = fields.Boolean(default=True, tracking=True)
    can_cancel = fields.Boolean(compute="_compute_qms_can")
    company_id = fields.Many2one(
        "res.company", required=True, index=True, readonly=True, default=lambda s: s.env.company
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        index=True,
        check_company=True,
        domain="[('parent_id', '=', False)]",
    )
    contact_id = fields.Many2one(
        "res.partner",
        string="Contact Person",
        check_company=True,
        domain="[('commercial_partner_id', '=', partner_id), ('id', '!=', partner_id)]",
        help="Who at the customer gave the rating.",
    )
    customer_info_id = fields.Many2one(
        "qms.customer.info",
        string="Service Contact",
        index="btree_not_null",
        check_company=True,
        domain="[('partner_id', '=', partner_id)]",
        help="The on-site service (register entry) the rating is about.",
    )
    visit_id = fields.Many2one(
        "qms.visit",
        string="Customer Visit",
        index="btree_not_null",
        check_company=True,
        domain="[('partner_id', '=', partner_id)]",
        help="The visit the rating is about.",
    )
    staff_id = fields.Many2one(
        "res.users",
        string="Rated Staff Member",
        required=True,
        index=True,
        tracking=True,
        check_company=True,
        domain="[('share', '=', False)]",
        help="Who gave the service.",
    )
    date = fields.Date(required=True, default=fields.Date.context_today, index=True, tracking=True)
    attitude = fields.Selection(LEVELS, string="Service Attitude", required=True, tracking=True)
    technical = fields.Selection(LEVELS, string="Technical Skill", required=True, tracking=True)
    arrival = fields.Selection(LEVELS, string="Arrival Time", required=True, tracking=True)
    promise = fields.Selection(LEVELS, string="Keeping Promises", required=True, tracking=True)
    score = fields.Float(
        compute="_compute_score",
        store=True,
        digits=(16, 1),
        aggregator="avg",
        help="The four criteria on the survey's scale: very satisfied 100, satisfied 80, average 60, poor 0.",
    )
    any_poor = fields.Boolean(string="Rated Poor", compute="_compute_score", store=True, index=True)
    comment = fields.Text(help="What the customer said about the service.")
    recorded_by_id = fields.Many2one("res.users", readonly=True, copy=False, default=lambda s: s.env.user)
    state = fields.Selection(
        [("recorded", "Recorded"), ("cancelled", "Cancelled")],
        default="recorded",
        required=True,
        index=True,
        tracking=True,
        copy=False,
    )
    cancel_reason = fields.Text(readonly=True, copy=False)

    @api.depends(*CRITERIA)
    def _compute_score(self):
        for rating in self:
            levels = [rating[name] for name in CRITERIA if rating[name]]
            rating.score = sum(LEVEL_POINTS[level] for level in levels) / len(levels) if levels else 0.0
            rating.any_poor = "poor" in levels

    # ------------------------------------------------------------------ constraints
    @api.constrains("partner_id", "contact_id", "customer_info_id", "visit_id", "date")
    def _check_links(self):
        today = fields.Date.context_today(self)
        for rating in self:
            customer = rating.partner_id
            linked = (
                rating.contact_id.commercial_partner_id,
                rating.customer_info_id.partner_id,
                rating.visit_id.partner_id,
            )
            others = [partner for partner in linked if partner and partner != customer]
            if others:
                raise ValidationError(
                    self.env._(
                        "%(rating)s: the contact, the service contact and the visit must all be of "
                        "%(customer)s.",
                        rating=rating.display_name,
                        customer=customer.display_name,
                    )
                )
            if rating.date > today:
                raise ValidationError(
                    self.env._("%(rating)s cannot be dated in the future.", rating=rating.display_name)
                )

    # ------------------------------------------------------------------ create / write guards
    @api.model_create_multi
    def create(self, vals_list):
        partners = self.env["res.partner"].browse(
            {vals["partner_id"] for vals in vals_list if vals.get("partner_id")}
        )
        for vals in vals_list:
            partner = partners.browse(vals.get("partner_id"))
            if partner and partner.commercial_partner_id != partner:
                vals.setdefault("contact_id", partner.id)
                vals["partner_id"] = partner.commercial_partner_id.id
        ratings = super().create(vals_list)
        ratings.filtered("any_poor")._qms_report_poor()
        return ratings

    def write(self, vals):
        if not self.env.su and qms_changing(self, set(vals) - {"active"}, vals):
            cancelled = self.filtered(lambda r: r.state == "cancelled")
            if cancelled:
                raise UserError(
                    self.env._(
                        "%(rating)s is cancelled: it can no longer change.", rating=cancelled[:1].display_name
                    )
                )
        newly_poor = self.browse()
        if set(CRITERIA) & set(vals):
            newly_poor = self.filtered(lambda r: not r.any_poor)
        result = super().write(vals)
        newly_poor.filtered("any_poor")._qms_report_poor()
        return result

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        raise UserError(
            self.env._("Service ratings are kept: cancel a rating with a reason or archive it instead.")
        )

    # ------------------------------------------------------------------ poor ratings
    def _qms_report_poor(self):
        """A service rated poor on any criterion is reported by the system to the staff member's
        manager (the employee's manager) and to the quality managers of the company, in Odoo when
        they have no e-mail address."""
        managers_of = {company: company._qms_users_in(QUALITY_MANAGER) for company in self.company_id}
        for rating in self:
            users = managers_of[rating.company_id] | rating.staff_id.sudo().employee_id.parent_id.user_id
            users = users.filtered(lambda u, rating=rating: rating.company_id in u.company_ids)
            if not users:
                continue
            reader = rating._qms_reader(users[:1])
            levels = dict(rating._fields["attitude"]._description_selection(reader.env))
            poor = [
                rating._fields[name]._description_string(reader.env)
                for name in CRITERIA
                if rating[name] == "poor"
            ]
            body = Markup("<p>%s</p>") % reader.env._(
                "%(customer)s rated the service of %(staff)s %(level)s on: %(criteria)s.",
                customer=rating.partner_id.display_name,
                staff=rating.staff_id.name,
                level=levels["poor"],
                criteria=reader._qms_join(poor),
            )
            if rating.comment:
                body += Markup("<p>%s</p>") % rating.comment
            rating.sudo().message_subscribe(partner_ids=users.partner_id.ids)
            rating._qms_system_post(body, partner_ids=users.partner_id.ids, subtype_xmlid="mail.mt_comment")

    # ------------------------------------------------------------------ analysis
    @api.model
    def _qms_level_counts(self, domain):
        """{partner id: {criterion: {level: count}}} of the ratings of ``domain``, read in one
        grouped query (the satisfaction analysis shows them per customer and per criterion)."""
        result = {}
        groups = self._read_group(domain, ["partner_id", *CRITERIA], ["__count"])
        for partner, *levels, count in groups:
            per_partner = result.setdefault(partner.id, {name: {} for name in CRITERIA})
            for name, level in zip(CRITERIA, levels, strict=True):
                per_partner[name][level] = per_partner[name].get(level, 0) + count
        return result

    # ------------------------------------------------------------------ entry points
    @api.model
    def _qms_new_rating_action(self, record, staff):
        """The rating form for the service contact or visit ``record``, prefilled with its customer,
        contact and the staff member who served."""
        record.ensure_one()
        self.check_access("create")
        link = "customer_info_id" if record._name == "qms.customer.info" else "visit_id"
        context = {
            "default_partner_id": record.partner_id.id,
            "default_company_id": record.company_id.id,
            f"default_{link}": record.id,
            "default_staff_id": staff.id,
        }
        if "contact_id" in record._fields and record.contact_id:
            context["default_contact_id"] = record.contact_id.id
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Record Service Rating"),
            "res_model": self._name,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": context,
        }

    # ------------------------------------------------------------------ demo
    @api.model
    def _qms_demo_service_ratings(self):
        """Demo ratings (post-install hook, after the visits and the register): an on-site service
        to 华东 rated poor on arrival time (reported to the quality managers), the half-year visit
        rated very satisfied, and a satisfied rating of the service to 江南."""
        ref = self.env.ref
        today = fields.Date.context_today(self)
        sales, sales2 = ref("qms_customer.user_qms_sales"), ref("qms_customer.user_qms_sales2")
        quality = ref("qms_customer.user_qms_quality")
        company = sales.company_id
        huadong = ref("qms_customer.partner_huadong")

        def as_user(model, user):
            return model.with_user(user).with_context(lang=user.lang).with_company(company)

        Info = self.env["qms.customer.info"]
        on_site = as_user(Info, sales).create(
            {
                "partner_id": huadong.id,
                "contact_id": ref("qms_customer.partner_huadong_contact").id,
                "channel": "on_site",
                "info_type": "current_product",
                "subject": "现场服务：总装线制动钳导向销补脂 (on-site: guide pins re-greased)",
                "date_received": fields.Datetime.now() - relativedelta(days=6),
            }
        )
        on_site = as_user(on_site, sales)
        on_site.write({"answer": "现场处理完毕，客户确认。(Done on site, confirmed by the customer.)"})
        on_site.action_answer()  # a key account's: answered (and so replied) at once
        on_site.action_close()
        visit = self.env["qms.visit"].search(
            [("partner_id", "=", huadong.id), ("state", "in", ("recorded", "closed"))], limit=1
        )
        vals_list = [
            {
                "partner_id": huadong.id,
                "contact_id": on_site.contact_id.id,
                "customer_info_id": on_site.id,
                "staff_id": quality.id,
                "date": today - relativedelta(days=5),
                "attitude": "satisfied",
                "technical": "very_satisfied",
                "arrival": "poor",
                "promise": "satisfied",
                "comment": "问题解决得很好，但晚到 3 小时。(Well fixed, 3 hours later than agreed.)",
            }
        ]
        if visit:
            vals_list.append(
                {
                    "partner_id": huadong.id,
                    "visit_id": visit.id,
                    "staff_id": visit.user_id.id or sales.id,
                    "date": today - relativedelta(days=1),
                    "attitude": "very_satisfied",
                    "technical": "very_satisfied",
                    "arrival": "very_satisfied",
                    "promise": "satisfied",
                }
            )
        as_user(self, sales).create(vals_list)
        as_user(self, sales2).create(
            {
                "partner_id": ref("qms_customer.partner_jiangnan").id,
                "staff_id": sales2.id,
                "date": today - relativedelta(days=20),
                "attitude": "satisfied",
                "technical": "satisfied",
                "arrival": "satisfied",
                "promise": "average",
                "comment": "样品寄送承诺延误了两天。(The promised samples came two days late.)",
            }
        )
