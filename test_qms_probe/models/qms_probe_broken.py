from odoo import models
from odoo.exceptions import UserError


class QmsProbeBroken(models.Model):
    """A family whose overdue rows fail: the other families must still be reported."""

    _name = "qms.probe.broken"
    _inherit = ["qms.probe.document"]
    _description = "QMS Probe Family That Fails"

    def _qms_overdue_row(self, spec, deadline, now, shared=None):
        raise UserError(self.env._("This probe family fails on purpose."))
