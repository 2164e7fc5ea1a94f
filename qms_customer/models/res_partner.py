from odoo import api, fields, models

from .qms_complaint_source import COMPLAINT_GROUPS

# Who reads sealed samples: the readers of complaints (sales their own customers').
SAMPLE_GROUPS = COMPLAINT_GROUPS


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
    qms_sample_count = fields.Integer(
        compute="_compute_qms_sample_count", string="Sample Count", groups=SAMPLE_GROUPS
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
        return super()._commercial_fields() + ["qms_response_profile_id", "qms_sample_quarterly_check"]

    def _compute_qms_sample_count(self):
        counts = dict(
            self.env["qms.sample"]._read_group(
                [("partner_id", "in", self.commercial_partner_id.ids)], ["partner_id"], ["__count"]
            )
        )
        for partner in self:
            partner.qms_sample_count = counts.get(partner.commercial_partner_id, 0)

    def action_view_qms_samples(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("qms_customer.action_qms_sample")
        partner = self.commercial_partner_id
        action["domain"] = [("partner_id", "=", partner.id)]
        action["context"] = {"default_partner_id": partner.id}
        return action

    def _compute_qms_complaint_count(self):
        counts = dict(
            self.env["qms.complaint"]._read_group(
                [("partner_id", "in", self.commercial_partner_id.ids)], ["partner_id"], ["__count"]
            )
        )
        for partner in self:
            partner.qms_complaint_count = counts.get(partner.commercial_partner_id, 0)

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
