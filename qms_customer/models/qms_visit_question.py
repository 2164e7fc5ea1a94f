from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools.translate import LazyTranslate

from .qms_deadline_mixin import DEADLINE_STATES, DeadlineSpec
from .qms_workflow_mixin import Transition, qms_changing

# pylint: disable=prefer-env-translation
_lt = LazyTranslate(__name__)

SALES = "qms_customer.group_qms_sales"
QUALITY = "qms_customer.group_qms_quality"
MREP = "qms_customer.group_qms_management_rep"
GM = "qms_customer.group_qms_general_manager"
# Who distributes the customer's questions to a department and answers any of them.
DISPATCHERS = (SALES, QUALITY, MREP, GM)
# The deadline step of the answer: 5 working days after the visit record (REQUIREMENTS §9).
ANSWER_STEP = "visit_question_answer"


class QmsVisitQuestion(models.Model):
    """A question the customer raised in a visit: given to a department and a person, answered
    within five working days of the visit record, and the answer sent to the customer with the
    customer opinion reply (客户意见答复单)."""

    _name = "qms.visit.question"
    _description = "Customer Visit Question"
    _inherit = ["qms.deadline.mixin", "mail.thread", "mail.activity.mixin"]
    _order = "visit_id desc, sequence, id"
    _rec_name = "question"
    _check_company_auto = True
    _mail_post_access = "read"
    _qms_closed_states = ("sent", "cancelled")
    _qms_final_states = ("sent", "cancelled")
    _qms_all_customer_groups = (QUALITY, MREP, GM)
    _qms_deadline_specs = (DeadlineSpec("answer_deadline", "date_answered", "date_recorded", "user_id"),)
    _qms_workflow_fields = (
        "state",
        "date_answered",
        "answered_by_id",
        "date_sent",
        "sent_by_id",
        "cancel_reason",
    )
    _qms_fixed_fields = ("visit_id",)
    _qms_role_fields = {DISPATCHERS: ("department_id", "user_id")}
    _qms_transitions = {
        "answer": Transition(("open",), (), _lt("answer")),
        "cancel": Transition(("open",), DISPATCHERS, _lt("cancel")),
    }

    can_answer = fields.Boolean(compute="_compute_can_answer")
    can_cancel = fields.Boolean(compute="_compute_qms_can")
    visit_id = fields.Many2one(
        "qms.visit",
        string="Customer Visit",
        required=True,
        index=True,
        ondelete="cascade",
        check_company=True,
    )
    sequence = fields.Integer(default=10)
    company_id = fields.Many2one(related="visit_id.company_id", store=True, index=True)
    partner_id = fields.Many2one(related="visit_id.partner_id", store=True, index=True, string="Customer")
    date_visit = fields.Datetime(related="visit_id.date_visit", string="Visited On")
    date_recorded = fields.Datetime(
        related="visit_id.date_recorded", store=True, string="Visit Recorded On", index=True
    )
    question = fields.Text(required=True, help="The customer's question, in its own words.")
    department_id = fields.Many2one(
        "hr.department",
        string="Responsible Department",
        index="btree_not_null",
        tracking=True,
        check_company=True,
    )
    user_id = fields.Many2one(
        "res.users",
        string="Responsible",
        index=True,
        tracking=True,
        compute="_compute_user_id",
        store=True,
        readonly=False,
        precompute=True,
        help="Who answers: the department's manager unless someone else is named.",
    )
    answer_deadline = fields.Datetime(
        string="Answer Due By",
        compute="_compute_answer_deadline",
        store=True,
        index=True,
        copy=False,
        help="Answered within 5 working days after the visit record (Settings › Deadline Rules).",
    )
    answer_status = fields.Selection(DEADLINE_STATES, compute="_compute_qms_deadline_statuses")
    answer = fields.Text(copy=False, help="Our answer, as the customer will read it.")
    date_answered = fields.Datetime(string="Answered On", readonly=True, copy=False)
    answered_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    date_sent = fields.Datetime(string="Sent On", readonly=True, copy=False)
    sent_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    state = fields.Selection(
        [
            ("open", "To Answer"),
            ("answered", "Answered"),
            ("sent", "Sent to Customer"),
            ("cancelled", "Cancelled"),
        ],
        default="open",
        required=True,
        index=True,
        tracking=True,
        copy=False,
        group_expand="_qms_group_expand_states",
    )
    cancel_reason = fields.Text(readonly=True, copy=False)
    color = fields.Integer(compute="_compute_qms_color")

    # ------------------------------------------------------------------ computes
    @api.depends("department_id")
    def _compute_user_id(self):
        for question in self:
            manager = question.department_id.sudo().manager_id.user_id
            question.user_id = manager or question.user_id or question.visit_id.user_id

    @api.depends("date_recorded", "partner_id", "company_id")
    def _compute_answer_deadline(self):
        cache = {}
        for question in self:
            if question.date_recorded and question.company_id:
                question.answer_deadline = question.company_id._qms_deadline(
                    ANSWER_STEP, question.date_recorded, question.partner_id, cache
                )
            else:
                question.answer_deadline = False

    @api.depends("visit_id.name", "sequence", "question")
    def _compute_display_name(self):
        for question in self:
            text = (question.question or "").strip().splitlines()
            first = text[0][:60] if text else ""
            question.display_name = f"{question.visit_id.name or ''}: {first}".strip(": ")

    @api.depends("state", "user_id", "department_id")
    @api.depends_context("uid")
    def _compute_can_answer(self):
        """The Answer button: an open question, for whoever may answer it."""
        for question in self:
            question.can_answer = question.state == "open" and question._qms_may_answer()

    def _qms_owner(self):
        return self.user_id or self.visit_id.user_id

    # ------------------------------------------------------------------ guards
    @api.model_create_multi
    def create(self, vals_list):
        questions = super().create(vals_list)
        for question in questions:
            if question.visit_id.state in ("planned", "closed", "cancelled"):
                raise UserError(
                    self.env._(
                        "%(visit)s: the customer's questions are recorded once the visit took place and "
                        "before it is closed.",
                        visit=question.visit_id.display_name,
                    )
                )
        questions.filtered(lambda q: q.date_recorded)._qms_ask_to_answer()
        return questions

    def write(self, vals):
        if not self.env.su and qms_changing(self, ("question", "answer"), vals):
            done = self.filtered(lambda q: q.state != "open")
            if done:
                raise UserError(
                    self.env._(
                        "%(question)s is answered: the question and its answer can no longer change.",
                        question=done[:1].display_name,
                    )
                )
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_only_open(self):
        if self.filtered(lambda q: q.state != "open" or q.visit_id.state not in ("planned", "visited")):
            raise UserError(self.env._("A question of a filed visit cannot be deleted: cancel it instead."))

    def _qms_ask_to_answer(self):
        """A system to-do for the responsible of each question, due on its answer deadline."""
        todos = []
        for question in self.filtered("user_id"):
            user = question.user_id
            reader = question._qms_reader(user)
            todos.append(
                reader._qms_todo_vals(
                    user,
                    reader.env._(
                        "Answer the question of %(customer)s (%(visit)s)",
                        customer=question.partner_id.name,
                        visit=question.visit_id.name,
                    ),
                    date_deadline=question.answer_deadline
                    and question._qms_local_date(question.answer_deadline, user),
                    note=question.question,
                )
            )
        if todos:
            self._qms_system_activities(todos)

    # ------------------------------------------------------------------ workflow
    def _qms_may_answer(self):
        """The responsible, the people of the responsible department, quality and the management
        representative answer a question."""
        self.ensure_one()
        user = self.env.user
        if self.env.su or user == self.user_id or user.has_group(QUALITY) or user.has_group(MREP):
            return True
        department = self.department_id.sudo()
        return bool(department) and (
            user == department.manager_id.user_id or user in department.member_ids.user_id
        )

    def action_answer(self):
        self._qms_ensure_can("answer")
        now = fields.Datetime.now()
        for question in self:
            if not question._qms_may_answer():
                raise UserError(
                    self.env._(
                        "Only %(user)s, the responsible department, quality or the management "
                        "representative may answer %(question)s.",
                        user=question.user_id.name or self.env._("the responsible"),
                        question=question.display_name,
                    )
                )
            if question.visit_id.state != "recorded":
                raise UserError(
                    self.env._(
                        "%(visit)s is not filed yet: file the visit record before answering its questions.",
                        visit=question.visit_id.display_name,
                    )
                )
            if question.partner_id != question.visit_id.partner_id:
                raise UserError(self.env._("This question belongs to another customer's visit."))
            if not (question.answer or "").strip():
                raise UserError(
                    self.env._("Write the answer to %(question)s first.", question=question.display_name)
                )
        self._qms_workflow_write({"state": "answered", "date_answered": now, "answered_by_id": self.env.uid})
        todo = self.env.ref("mail.mail_activity_data_todo")
        root = self.env.ref("base.user_root")
        activities = self.sudo().activity_ids.filtered(
            lambda a: a.activity_type_id == todo and a.create_uid == root
        )
        if activities:
            activities.action_feedback(feedback=self.env._("Answered."))
        return True

    def action_view_visit(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "qms.visit",
            "res_id": self.visit_id.id,
            "view_mode": "form",
        }
