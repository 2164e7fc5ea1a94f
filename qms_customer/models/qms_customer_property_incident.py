from odoo import fields, models

from .qms_deadline_mixin import DeadlineSpec


class QmsCustomerPropertyIncident(models.Model):
    """Loss, damage or unsuitability of customer property (顾客财产问题反馈单): recorded, reported to
    the customer with a PDF, and the customer's answer recorded (REQUIREMENTS §6)."""

    _name = "qms.customer.property.incident"
    _description = "Customer Property Incident"
    _inherit = ["qms.deadline.mixin", "mail.thread", "mail.activity.mixin"]
    _order = "date_incident desc, id desc"
    _qms_sequence_code = "qms.customer.property.incident"
    _check_company_auto = True
    _mail_post_access = "read"
    _qms_closed_states = ("closed",)
    _qms_final_states = ("closed",)
    _qms_all_customer_groups = (
        "qms_customer.group_qms_quality",
        "qms_customer.group_qms_technical",
        "qms_customer.group_qms_warehouse",
    )
    _qms_deadline_specs = (DeadlineSpec("answer_deadline", "date_answered", "date_reported", "user_id"),)
    _qms_workflow_fields = ("state", "date_reported", "reported_by_id", "date_answered")
    _qms_fixed_fields = ("name", "property_id")

    name = fields.Char(
        string="Number", required=True, readonly=True, copy=False, default=lambda s: s.env._("New")
    )
    property_id = fields.Many2one(
        "qms.customer.property", required=True, index=True, ondelete="restrict", check_company=True
    )
    company_id = fields.Many2one(related="property_id.company_id", store=True, index=True)
    partner_id = fields.Many2one(related="property_id.partner_id", store=True, index=True, string="Customer")
    user_id = fields.Many2one("res.users", string="Responsible", index=True, default=lambda s: s.env.user)
    kind = fields.Selection(
        [("loss", "Loss"), ("damage", "Damage"), ("unsuitable", "Unsuitable for Use")],
        required=True,
        default="damage",
    )
    date_incident = fields.Datetime(string="Happened On", required=True, default=fields.Datetime.now)
    description = fields.Text(required=True)
    state = fields.Selection(
        [("draft", "Draft"), ("reported", "Reported"), ("answered", "Answered"), ("closed", "Closed")],
        default="draft",
        required=True,
        index=True,
        tracking=True,
    )
    date_reported = fields.Datetime(string="Reported On", readonly=True, copy=False)
    reported_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    answer_deadline = fields.Datetime(string="Answer Due", readonly=True, copy=False, index=True)
    date_answered = fields.Datetime(string="Answered On", readonly=True, copy=False)
    customer_answer = fields.Text()
