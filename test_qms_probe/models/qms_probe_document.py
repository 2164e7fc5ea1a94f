from odoo import fields, models
from odoo.addons.qms_customer.models.qms_deadline_mixin import DeadlineSpec


class QmsProbeDocument(models.Model):
    """The least a family declares: no state, salesperson, customer or company of its own."""

    _name = "qms.probe.document"
    _inherit = ["qms.deadline.mixin"]
    _description = "QMS Probe Document"

    _qms_deadline_specs = (DeadlineSpec("due_on", "done_on", "opened_on", "owner_id"),)
    _qms_workflow_fields = ("done_on",)

    name = fields.Char(required=True)
    owner_id = fields.Many2one("res.users")
    opened_on = fields.Datetime(required=True, default=fields.Datetime.now)
    due_on = fields.Datetime()
    done_on = fields.Datetime()

    def action_done(self):
        self._qms_workflow_write({"done_on": fields.Datetime.now()})
