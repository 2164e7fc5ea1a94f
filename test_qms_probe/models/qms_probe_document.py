from odoo import api, fields, models
from odoo.addons.qms_customer.models.qms_deadline_mixin import DEADLINE_STATES, DeadlineSpec


class QmsProbeDocument(models.Model):
    """The least a family declares: no state, salesperson, customer or company of its own."""

    _name = "qms.probe.document"
    _inherit = ["qms.deadline.mixin", "qms.action.source"]
    _description = "QMS Probe Document"

    _qms_deadline_specs = (DeadlineSpec("due_on", "done_on", "opened_on", "owner_id"),)
    _qms_workflow_fields = ("done_on",)

    name = fields.Char(required=True)
    owner_id = fields.Many2one("res.users")
    opened_on = fields.Datetime(required=True, default=fields.Datetime.now)
    due_on = fields.Datetime(compute="_compute_due_on", store=True, readonly=False)
    done_on = fields.Datetime()
    due_on_status = fields.Selection(DEADLINE_STATES, compute="_compute_qms_deadline_statuses")
    color = fields.Integer(compute="_compute_qms_color")

    @api.depends("opened_on")
    def _compute_due_on(self):
        cache = {}  # the rules, read once for the batch
        for probe in self:
            probe.due_on = probe.opened_on and probe._qms_company()._qms_deadline(
                "probe_due", probe.opened_on, probe._qms_customer(), cache
            )

    def action_done(self):
        self._qms_workflow_write({"done_on": fields.Datetime.now()})
