from odoo import fields, models

from .res_partner import VISIT_GROUPS


# split by concern on purpose: one file per capability of the complaint
class QmsComplaint(models.Model):
    """The visits made for a complaint (complaint visits), from a smart button."""

    _inherit = "qms.complaint"  # pylint: disable=consider-merging-classes-inherited

    qms_visit_count = fields.Integer(
        string="Visit Count", compute="_compute_qms_visit_count", groups=VISIT_GROUPS
    )

    def _compute_qms_visit_count(self):
        counts = dict(
            self.env["qms.visit"]._read_group(
                [("complaint_id", "in", self.ids)], ["complaint_id"], ["__count"]
            )
        )
        for complaint in self:
            complaint.qms_visit_count = counts.get(complaint, 0)

    def action_view_qms_visits(self):
        """The complaint's visits; a new one is a complaint visit to its customer."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("qms_customer.action_qms_visit")
        action["domain"] = [("complaint_id", "=", self.id)]
        action["context"] = {
            "default_complaint_id": self.id,
            "default_partner_id": self.partner_id.id,
            "default_visit_type": "complaint",
            "default_reason": self.env._("Complaint %(complaint)s", complaint=self.name),
        }
        return action
