from odoo import fields, models
from odoo.addons.qms_customer.models.qms_workflow_mixin import Transition
from odoo.tools.translate import LazyTranslate

# Class-level declarations have no env yet: their verbs are lazy, translated when refused.
# pylint: disable=prefer-env-translation
_lt = LazyTranslate(__name__)
MANAGER = "qms_customer.group_qms_quality_manager"


class QmsProbeCase(models.Model):
    """A family with a state, written as declarations only: who may press which button in which
    state, a cancel with a reason, a number from its sequence, and a file field whose uploads
    become the case's own."""

    _name = "qms.probe.case"
    _inherit = ["qms.workflow.mixin", "mail.thread"]
    _description = "QMS Probe Case"

    _qms_workflow_fields = ("state", "cancel_reason")
    _qms_file_fields = ("file_ids",)
    _qms_sequence_code = "qms.probe.case"
    _qms_transitions = {
        "cancel": Transition(("open",), (MANAGER,), _lt("cancel")),
    }

    name = fields.Char(required=True, default="New")
    state = fields.Selection(
        [("open", "Open"), ("cancelled", "Cancelled")], default="open", required=True, readonly=True
    )
    cancel_reason = fields.Text(readonly=True)
    file_ids = fields.Many2many("ir.attachment", string="Files")
    can_cancel = fields.Boolean(compute="_compute_qms_can")
