from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools.translate import LazyTranslate

from .qms_deadline_mixin import DEADLINE_STATES, DeadlineSpec
from .qms_workflow_mixin import Transition

# Class-level declarations have no env yet: their verbs are lazy, translated when refused.
# pylint: disable=prefer-env-translation
_lt = LazyTranslate(__name__)

EIGHTD_STEPS = [
    ("d0", "D0 Preparation"),
    ("d1", "D1 Team"),
    ("d2", "D2 Problem Description"),
    ("d3", "D3 Containment"),
    ("d4", "D4 Root Cause"),
    ("d5", "D5 Corrective Actions"),
    ("d6", "D6 Implementation and Verification"),
    ("d7", "D7 Prevention"),
    ("d8", "D8 Closure and Recognition"),
]
STEP_KEYS = [key for key, _label in EIGHTD_STEPS]

# A discipline can only be completed once the ones it depends on are; D3 (containment) and
# D4 (root cause) run in parallel after the problem is described.
STEP_DEPENDS = {
    "d0": (),
    "d1": ("d0",),
    "d2": ("d1",),
    "d3": ("d2",),
    "d4": ("d2",),
    "d5": ("d3", "d4"),
    "d6": ("d5",),
    "d7": ("d6",),
    "d8": ("d7",),
}

# The fields of each discipline, for the edit guard: sales may fill D0-D3 (emergency response,
# team, description, containment at the customer), the analysis D4-D8 belongs to quality.
STEP_FIELDS = {
    "d0": ("d0_emergency_response", "eightd_customer_form", "eightd_customer_form_ids"),
    "d1": ("eightd_leader_id", "eightd_team_ids"),
    "d2": ("d2_what", "d2_where", "d2_when", "d2_how_many", "d2_is", "d2_is_not"),
    "d3": ("d3_qty_plant", "d3_qty_transit", "d3_qty_customer", "d3_note"),
    "d4": (
        "d4_occurrence_cause",
        "d4_escape_cause",
        "why_ids",
        "occurrence_why_ids",
        "escape_why_ids",
        "cause_category",
    ),
    "d5": ("d5_note",),
    "d6": ("d6_evidence", "d6_evidence_ids"),
    "d7": (
        "d7_similar_products",
        "d7_fmea_updated",
        "d7_control_plan_updated",
        "d7_work_instruction_updated",
        "d7_lessons_learned",
    ),
    "d8": ("d8_recognition",),
}
ANALYSIS_STEPS = ("d4", "d5", "d6", "d7", "d8")
ACTIVE_STATES = ("confirmed", "in_progress", "replied", "verifying")


def _dependants(step):
    """Every step that depends on ``step``, directly or not (reopened together with it)."""
    found = []
    for key in STEP_KEYS:
        if any(dep == step or dep in found for dep in STEP_DEPENDS[key]):
            found.append(key)
    return found


def _done_by(step):
    return fields.Many2one("res.users", string=f"{step.upper()} Completed By", readonly=True, copy=False)


def _done_on(step):
    return fields.Datetime(string=f"{step.upper()} Completed On", readonly=True, copy=False, tracking=True)


class QmsComplaint8D(models.Model):
    """The 8D problem-solving report of a complaint, one section per discipline."""

    _inherit = "qms.complaint"

    _qms_file_fields = ("eightd_customer_form_ids", "d6_evidence_ids")
    _qms_workflow_fields = tuple(f"{step}_done_{suffix}" for step in STEP_KEYS for suffix in ("by_id", "on"))
    # Sales may read and fill D0-D3; the analysis (D4-D8) is quality's to write.
    _qms_role_fields = {
        ("qms_customer.group_qms_quality",): tuple(
            name for step in ANALYSIS_STEPS for name in STEP_FIELDS[step]
        )
    }
    _qms_transitions = {
        # Who completes a discipline depends on the discipline (_qms_check_8d_complete).
        "complete_8d": Transition(ACTIVE_STATES, (), _lt("complete the 8D of")),
        "reopen_8d": Transition(ACTIVE_STATES, ("qms_customer.group_qms_quality",), _lt("reopen the 8D of")),
    }
    _qms_deadline_specs = (  # added to the complaint's own: each class declares only its own
        DeadlineSpec("d3_deadline", "d3_done_on", "date_received", "quality_user_id"),
        DeadlineSpec("d4_deadline", "d4_done_on", "date_received", "quality_user_id"),
        DeadlineSpec("d8_deadline", "d8_done_on", "date_received", "quality_user_id"),
    )

    can_complete_8d = fields.Boolean(compute="_compute_qms_can")
    can_reopen_8d = fields.Boolean(compute="_compute_qms_can")
    eightd_step = fields.Selection(
        EIGHTD_STEPS + [("done", "8D Completed")],
        string="8D Status",
        compute="_compute_eightd_step",
        store=True,
        index=True,
        help="The next discipline to complete.",
    )
    eightd_customer_form = fields.Boolean(
        string="Customer's Own 8D Form",
        help="The customer requires its own 8D form: attach it filled in; it is sent back with the reply "
        "instead of our 8D report.",
    )
    eightd_customer_form_ids = fields.Many2many(
        "ir.attachment",
        "qms_complaint_8d_form_rel",
        "complaint_id",
        "attachment_id",
        string="Customer 8D Form",
    )
    # D0
    d0_emergency_response = fields.Text(string="Emergency Response")
    d0_done_by_id = _done_by("d0")
    d0_done_on = _done_on("d0")
    # D1
    eightd_leader_id = fields.Many2one(
        "res.users", string="Team Leader", domain="[('share', '=', False)]", check_company=True
    )
    eightd_team_ids = fields.Many2many(
        "res.users",
        "qms_complaint_8d_team_rel",
        "complaint_id",
        "user_id",
        string="8D Team",
        domain="[('share', '=', False)]",
        check_company=True,
    )
    d1_done_by_id = _done_by("d1")
    d1_done_on = _done_on("d1")
    # D2
    d2_what = fields.Text(string="What")
    d2_where = fields.Text(string="Where")
    d2_when = fields.Text(string="When")
    d2_how_many = fields.Text(string="How Many")
    d2_is = fields.Text(string="Is", help="Where, when and on what the problem is seen.")
    d2_is_not = fields.Text(string="Is Not", help="Where, when and on what it could be but is not seen.")
    d2_done_by_id = _done_by("d2")
    d2_done_on = _done_on("d2")
    # D3
    d3_qty_plant = fields.Float(string="Sorted at Our Plant", digits="Product Unit of Measure")
    d3_qty_transit = fields.Float(string="Sorted in Transit", digits="Product Unit of Measure")
    d3_qty_customer = fields.Float(string="Sorted at the Customer", digits="Product Unit of Measure")
    d3_note = fields.Text(string="Containment Notes")
    d3_deadline = fields.Datetime(
        string="D3 Containment Deadline", compute="_compute_8d_deadlines", store=True
    )
    d3_status = fields.Selection(
        DEADLINE_STATES, string="D3 Containment Status", compute="_compute_qms_deadline_statuses"
    )
    d3_done_by_id = _done_by("d3")
    d3_done_on = _done_on("d3")
    # D4
    d4_occurrence_cause = fields.Text(string="Occurrence Cause", help="Why the defect was made.")
    d4_escape_cause = fields.Text(string="Escape Cause", help="Why the defect was not detected.")
    why_ids = fields.One2many("qms.complaint.why", "complaint_id", string="5-Why Analysis")
    occurrence_why_ids = fields.One2many(
        "qms.complaint.why", "complaint_id", string="Why Made", domain=[("chain", "=", "occurrence")]
    )
    escape_why_ids = fields.One2many(
        "qms.complaint.why", "complaint_id", string="Why Not Detected", domain=[("chain", "=", "escape")]
    )
    # The complaint's actions by type, for the D3 / D5 / D7 pages.
    containment_action_ids = fields.One2many(
        "qms.action", "complaint_id", domain=[("action_type", "=", "containment")]
    )
    corrective_action_ids = fields.One2many(
        "qms.action", "complaint_id", domain=[("action_type", "=", "corrective")]
    )
    preventive_action_ids = fields.One2many(
        "qms.action", "complaint_id", domain=[("action_type", "=", "preventive")]
    )
    d4_deadline = fields.Datetime(
        string="D4 Root Cause Deadline", compute="_compute_8d_deadlines", store=True
    )
    d4_status = fields.Selection(
        DEADLINE_STATES, string="D4 Root Cause Status", compute="_compute_qms_deadline_statuses"
    )
    d4_done_by_id = _done_by("d4")
    d4_done_on = _done_on("d4")
    # D5
    d5_note = fields.Text(string="Chosen Permanent Corrective Actions")
    d5_done_by_id = _done_by("d5")
    d5_done_on = _done_on("d5")
    # D6
    d6_evidence = fields.Text(string="Implementation and Verification Evidence")
    d6_evidence_ids = fields.Many2many(
        "ir.attachment", "qms_complaint_8d_evidence_rel", "complaint_id", "attachment_id", string="Evidence"
    )
    d6_done_by_id = _done_by("d6")
    d6_done_on = _done_on("d6")
    # D7
    d7_similar_products = fields.Text(string="Similar Products and Processes")
    d7_fmea_updated = fields.Boolean(string="FMEA Updated")
    d7_control_plan_updated = fields.Boolean(string="Control Plan Updated")
    d7_work_instruction_updated = fields.Boolean(string="Work Instruction Updated")
    d7_lessons_learned = fields.Text(string="Lessons Learned")
    d7_done_by_id = _done_by("d7")
    d7_done_on = _done_on("d7")
    # D8
    d8_recognition = fields.Text(string="Closure and Team Recognition")
    d8_deadline = fields.Datetime(string="8D Report Deadline", compute="_compute_8d_deadlines", store=True)
    d8_status = fields.Selection(
        DEADLINE_STATES, string="8D Report Status", compute="_compute_qms_deadline_statuses"
    )
    d8_done_by_id = _done_by("d8")
    d8_done_on = _done_on("d8")
    can_edit_analysis = fields.Boolean(compute="_compute_can_edit_analysis")

    # ------------------------------------------------------------------ computes
    @api.depends("requires_8d", *(f"{step}_done_on" for step in STEP_KEYS))
    def _compute_eightd_step(self):
        for complaint in self:
            if not complaint.requires_8d:
                complaint.eightd_step = False
                continue
            complaint.eightd_step = next((s for s in STEP_KEYS if not complaint[f"{s}_done_on"]), "done")

    @api.depends("requires_8d", "date_received", "partner_id", "company_id")
    def _compute_8d_deadlines(self):
        steps = {
            "d3_deadline": "complaint_8d_containment",
            "d4_deadline": "complaint_8d_root_cause",
            "d8_deadline": "complaint_8d_report",
        }
        cache = {}  # the calendars' working time, read once for the whole batch
        for complaint in self:
            for field, step in steps.items():
                complaint[field] = (
                    complaint.requires_8d
                    and complaint.date_received
                    and complaint.company_id
                    and complaint.company_id._qms_deadline(
                        step, complaint.date_received, complaint.partner_id, cache
                    )
                )

    @api.depends_context("uid")
    def _compute_can_edit_analysis(self):
        allowed = self.env.su or self.env.user.has_group("qms_customer.group_qms_quality")
        for complaint in self:
            complaint.can_edit_analysis = allowed

    # ------------------------------------------------------------------ guards
    def write(self, vals):
        result = super().write(vals)
        if "eightd_leader_id" in vals or "eightd_team_ids" in vals:
            # The leader is always a member of the 8D team.
            for complaint in self.filtered(lambda c: c.eightd_leader_id not in c.eightd_team_ids):
                complaint.eightd_team_ids |= complaint.eightd_leader_id
        return result

    @api.constrains("d3_qty_plant", "d3_qty_transit", "d3_qty_customer")
    def _check_sorted_quantities(self):
        for complaint in self:
            if min(complaint.d3_qty_plant, complaint.d3_qty_transit, complaint.d3_qty_customer) < 0:
                raise ValidationError(
                    self.env._("Sorted quantities of the containment (D3) cannot be negative.")
                )

    def _qms_step_label(self, step):
        return dict(self._fields["eightd_step"]._description_selection(self.env))[step]

    def _qms_step_missing(self, step):
        """What ``step`` still lacks before it can be completed, as a list of labels."""
        self.ensure_one()
        actions = self.action_ids.filtered(lambda a: a.state != "cancelled")

        def typed(kind):
            return actions.filtered(lambda a: a.action_type == kind)

        def label(name):
            return self._fields[name]._description_string(self.env)

        corrective = typed("corrective").filtered(lambda a: a.effectiveness != "not_effective")

        checks = {
            "d0": [(label("d0_emergency_response"), not (self.d0_emergency_response or "").strip())],
            "d1": [
                (label("eightd_leader_id"), not self.eightd_leader_id),
                (label("eightd_team_ids"), not self.eightd_team_ids),
            ],
            "d2": [(label("d2_what"), not (self.d2_what or "").strip())],
            "d3": [(self.env._("a containment action"), not typed("containment"))],
            "d4": [
                (label("d4_occurrence_cause"), not (self.d4_occurrence_cause or "").strip()),
                (label("d4_escape_cause"), not (self.d4_escape_cause or "").strip()),
                (label("cause_category"), not self.cause_category),
            ],
            "d5": [(self.env._("a corrective action"), not typed("corrective"))],
            # An action verified not effective stays in the history; the ones that replace it count.
            "d6": [
                (
                    self.env._("every corrective action done and verified effective"),
                    not corrective
                    or any(a.state != "done" or a.effectiveness != "effective" for a in corrective),
                ),
                (label("d6_evidence"), not ((self.d6_evidence or "").strip() or self.d6_evidence_ids)),
            ],
            "d7": [(label("d7_lessons_learned"), not (self.d7_lessons_learned or "").strip())],
            "d8": [
                (
                    label("eightd_customer_form_ids"),
                    self.eightd_customer_form and not self.eightd_customer_form_ids,
                )
            ],
        }
        return [name for name, missing in checks[step] if missing]

    # ------------------------------------------------------------------ actions
    def action_8d_complete(self):
        """Complete the discipline given in the context (``qms_8d_step``) for these complaints."""
        step = self.env.context.get("qms_8d_step")
        if step not in STEP_KEYS:
            raise UserError(self.env._("Unknown 8D discipline: %s.", step))
        for complaint in self:
            complaint._qms_check_8d_complete(step)
        self._qms_workflow_write(
            {f"{step}_done_by_id": self.env.user.id, f"{step}_done_on": fields.Datetime.now()}
        )
        return True

    def _qms_check_8d_complete(self, step):
        self.ensure_one()
        label = self._qms_step_label(step)
        if not self.requires_8d:
            raise UserError(self.env._("%s does not run as an 8D.", self.display_name))
        if step in ANALYSIS_STEPS and not (
            self.env.su or self.env.user.has_group("qms_customer.group_qms_quality")
        ):
            raise UserError(self.env._("Only quality may complete %s.", label))
        if not self._qms_state_allows("complete_8d"):
            raise UserError(
                self.env._(
                    "%(step)s can only be completed while %(complaint)s is open and confirmed.",
                    step=label,
                    complaint=self.display_name,
                )
            )
        if self[f"{step}_done_on"]:
            raise UserError(
                self.env._(
                    "%(step)s of %(complaint)s is already completed.", step=label, complaint=self.display_name
                )
            )
        pending = [self._qms_step_label(dep) for dep in STEP_DEPENDS[step] if not self[f"{dep}_done_on"]]
        if pending:
            raise UserError(
                self.env._("Complete %(pending)s before %(step)s.", pending=", ".join(pending), step=label)
            )
        missing = self._qms_step_missing(step)
        if missing:
            raise UserError(
                self.env._(
                    "%(step)s cannot be completed yet. Missing: %(missing)s.",
                    step=label,
                    missing=", ".join(missing),
                )
            )

    def action_8d_reopen(self):
        """Reopen the discipline given in the context, and every discipline that depends on it."""
        step = self.env.context.get("qms_8d_step")
        if step not in STEP_KEYS:
            raise UserError(self.env._("Unknown 8D discipline: %s.", step))
        self._qms_ensure_can("reopen_8d")
        self._qms_8d_reopen(step)
        return True

    def _qms_8d_reopen(self, step, reason=None):
        steps = [step] + _dependants(step)
        for complaint in self.filtered(lambda c: any(c[f"{s}_done_on"] for s in steps)):
            complaint._qms_workflow_write(
                {f"{s}_done_{suffix}": False for s in steps for suffix in ("by_id", "on")}
            )
            # A chatter note of the system, in the company's language.
            local = complaint.with_context(lang=complaint.company_id.partner_id.lang or self.env.lang)
            label = local._qms_step_label(step)
            note = (
                local.env._("%(step)s reopened: %(reason)s.", step=label, reason=reason)
                if reason
                else local.env._("%(step)s reopened.", step=label)
            )
            local._qms_system_post(note)

    def _qms_action_not_effective(self, action):
        """An ineffective corrective action sends the 8D back to D5."""
        result = super()._qms_action_not_effective(action)
        if self.requires_8d:
            self._qms_8d_reopen(
                "d5", self.env._("action %(action)s was not effective", action=action.display_name)
            )
        return result

    def _qms_check_closable(self):
        result = super()._qms_check_closable()
        for complaint in self.filtered("requires_8d"):
            if not (complaint.d6_done_on and complaint.d7_done_on):
                raise UserError(
                    self.env._(
                        "%s runs as an 8D: D6 (implementation and verification) and D7 (prevention) "
                        "must be completed before it is closed.",
                        complaint.display_name,
                    )
                )
        return result
