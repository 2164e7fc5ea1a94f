from odoo import api, fields, models

# Who decides each step of a return: the group named by the step's role.
APPROVAL_ROLES = [
    ("quality", "Quality Engineer"),
    ("quality_manager", "Quality Manager"),
    ("technical", "Technical / R&D"),
    ("chief_engineer", "Chief Engineer"),
    ("general_manager", "General Manager"),
]
ROLE_GROUPS = {
    "quality": "qms_customer.group_qms_quality",
    "quality_manager": "qms_customer.group_qms_quality_manager",
    "technical": "qms_customer.group_qms_technical",
    "chief_engineer": "qms_customer.group_qms_chief_engineer",
    "general_manager": "qms_customer.group_qms_general_manager",
    "warehouse": "qms_customer.group_qms_warehouse",
}


class QmsReturnApproval(models.Model):
    """One step of a return's approval: quality's confirmation of the anomaly, a review or the
    approval of the tier the return's weight falls in, or the general manager's last word.
    Only the request's actions write it (as the system, after checking who decides): users read it."""

    _name = "qms.return.approval"
    _description = "Return Approval Step"
    _order = "request_id, sequence, id"
    _check_company_auto = True

    request_id = fields.Many2one("qms.return.request", required=True, index=True, ondelete="cascade")
    company_id = fields.Many2one(related="request_id.company_id", store=True, index=True)
    sequence = fields.Integer(default=10)
    role = fields.Selection(APPROVAL_ROLES, required=True)
    purpose = fields.Selection(
        [
            ("anomaly", "Anomaly Confirmation"),
            ("review", "Review"),
            ("approval", "Approval"),
            ("decision", "Final Decision"),
        ],
        required=True,
    )
    reason = fields.Char(string="Why This Step", help="What makes the procedure ask for this step.")
    user_id = fields.Many2one(
        "res.users",
        string="Approver",
        check_company=True,
        help="Gets the to-do; anyone holding the step's role may decide it.",
    )
    decision = fields.Selection(
        [
            ("pending", "Pending Decision"),
            ("approved", "Approved"),
            ("rejected", "Rejected"),
            ("superseded", "Superseded"),
        ],
        required=True,
        default="pending",
        index=True,
    )
    decided_by_id = fields.Many2one("res.users")
    date_decided = fields.Datetime(string="Decided On")
    comment = fields.Text()

    @api.depends("role", "purpose")
    def _compute_display_name(self):
        roles = dict(self._fields["role"]._description_selection(self.env))
        purposes = dict(self._fields["purpose"]._description_selection(self.env))
        for step in self:
            step.display_name = f"{roles.get(step.role, '')} · {purposes.get(step.purpose, '')}"
