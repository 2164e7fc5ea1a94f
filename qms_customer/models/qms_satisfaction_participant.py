from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools.translate import LazyTranslate

from .qms_deadline_mixin import DEADLINE_STATES, DeadlineSpec
from .qms_workflow_mixin import Transition, qms_changing

# pylint: disable=prefer-env-translation
_lt = LazyTranslate(__name__)

SALES = "qms_customer.group_qms_sales"
QUALITY = "qms_customer.group_qms_quality"
MANAGEMENT_REP = "qms_customer.group_qms_management_rep"
# The deadline step of a customer's answer to the questionnaire (one month by default).
ANSWER_STEP = "satisfaction_answer"
CHANNELS = [
    ("email", "E-mail"),
    ("phone", "Phone Call"),
    ("visit", "Visit"),
    ("paper", "Paper Form"),
]


class QmsSatisfactionParticipant(models.Model):
    """A customer surveyed by a satisfaction campaign: why it was chosen (the draw), how and when
    the questionnaire went out (the dispatch log), its personal survey answer, its scores and the
    follow-up of a dissatisfied customer. The answer is due within a month of the dispatch: the
    customer is reminded by e-mail before the deadline (where it has an address; otherwise its
    salesperson), the salesperson and the management representatives after it."""

    _name = "qms.satisfaction.participant"
    _description = "Satisfaction Survey Participant"
    _inherit = ["qms.deadline.mixin", "mail.thread", "mail.activity.mixin"]
    _order = "campaign_id desc, selection_rule, partner_id"
    _rec_name = "partner_id"
    _check_company_auto = True
    _mail_post_access = "read"
    _qms_closed_states = ("answered",)
    _qms_final_states = ("answered",)
    _qms_all_customer_groups = (QUALITY, MANAGEMENT_REP)
    _qms_deadline_specs = (DeadlineSpec("answer_deadline", "date_answered", "date_sent", "user_id"),)
    _qms_workflow_fields = (
        "selection_rule",
        "draw_rank",
        "draw_size",
        "draw_population",
        "date_sent",
        "sent_by_id",
        "user_input_id",
        "score",
        "csat",
        "any_poor",
        "dissatisfied",
        "score_previous",
        "has_previous",
        "comment",
        "item_scores",
        "followup",
        "visit_id",
    )
    _qms_fixed_fields = ("campaign_id", "partner_id")
    _qms_role_fields = {(MANAGEMENT_REP, SALES): ("channel", "contact_id")}
    _qms_transitions = {
        "fill_in": Transition(("sent",), (SALES, MANAGEMENT_REP, QUALITY), _lt("enter the answers of")),
        "resend": Transition(("sent",), (SALES, MANAGEMENT_REP), _lt("send the questionnaire again to")),
    }

    campaign_id = fields.Many2one(
        "qms.satisfaction.campaign", required=True, index=True, ondelete="cascade", check_company=True
    )
    company_id = fields.Many2one(related="campaign_id.company_id", store=True, index=True)
    campaign_state = fields.Selection(related="campaign_id.state", string="Campaign Status")
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        index=True,
        domain="[('parent_id', '=', False)]",
        ondelete="restrict",
    )
    user_id = fields.Many2one(
        "res.users",
        string="Salesperson",
        compute="_compute_user_id",
        store=True,
        readonly=False,
        precompute=True,
        index=True,
        help="Who dispatches the questionnaire and chases the answer: the customer's salesperson.",
    )
    key_account = fields.Boolean(related="partner_id.qms_key_account")
    selection_rule = fields.Selection(
        [("key", "Key Account"), ("drawn", "Drawn"), ("added", "Added")],
        string="Chosen As",
        default="added",
        required=True,
        readonly=True,
    )
    draw_rank = fields.Integer(readonly=True)
    draw_size = fields.Integer(readonly=True)
    draw_population = fields.Integer(readonly=True)
    draw_note = fields.Char(string="Why Surveyed", compute="_compute_draw_note")
    channel = fields.Selection(
        CHANNELS,
        string="Dispatch Channel",
        compute="_compute_channel",
        store=True,
        readonly=False,
        precompute=True,
        help="E-mail sends the personal link; by phone, visit or paper form the salesperson enters the "
        "customer's answers.",
    )
    contact_id = fields.Many2one(
        "res.partner",
        domain="['|', ('id', '=', partner_id), ('parent_id', '=', partner_id)]",
        help="Who receives the questionnaire (the customer itself when empty).",
    )
    state = fields.Selection(
        [("draft", "To Send"), ("sent", "Sent"), ("answered", "Answered")],
        compute="_compute_state",
        store=True,
        index=True,
        group_expand="_qms_group_expand_states",
    )
    date_sent = fields.Datetime(string="Sent On", readonly=True, copy=False)
    sent_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    user_input_id = fields.Many2one(
        "survey.user_input", string="Survey Answer", readonly=True, copy=False, index="btree_not_null"
    )
    survey_url = fields.Char(string="Personal Link", compute="_compute_survey_url")
    date_answered = fields.Datetime(
        string="Answered On", compute="_compute_state", store=True, help="When the questionnaire came back."
    )
    answer_deadline = fields.Datetime(
        string="Answer Due",
        compute="_compute_answer_deadline",
        store=True,
        index=True,
        help="One month after the dispatch (Settings › Deadline Rules).",
    )
    answer_status = fields.Selection(DEADLINE_STATES, compute="_compute_qms_deadline_statuses")
    score = fields.Float(readonly=True, copy=False, digits=(16, 1), aggregator="avg")
    csat = fields.Float(string="CSAT (%)", readonly=True, copy=False, digits=(16, 1))
    any_poor = fields.Boolean(string="An Item Rated Poor", readonly=True, copy=False)
    dissatisfied = fields.Boolean(readonly=True, copy=False, index=True)
    score_previous = fields.Float(string="Previous Score", readonly=True, copy=False, digits=(16, 1))
    has_previous = fields.Boolean(readonly=True, copy=False)
    score_trend = fields.Float(string="Trend", compute="_compute_score_trend", digits=(16, 1))
    comment = fields.Text(string="Complaints or Suggestions", readonly=True, copy=False)
    item_scores = fields.Json(
        string="Item Score Data",
        readonly=True,
        copy=False,
        help="The customer's score and number of ratings per item: {item: [score, ratings]}.",
    )
    item_scores_html = fields.Html(string="Item Scores", compute="_compute_item_scores_html", sanitize=False)
    followup = fields.Selection(
        [("visit", "Visit to Plan")],
        string="Follow-up",
        readonly=True,
        copy=False,
        help="A dissatisfied customer is visited within a month.",
    )
    visit_id = fields.Many2one(
        "qms.visit",
        string="Follow-up Visit",
        readonly=True,
        copy=False,
        index="btree_not_null",
        ondelete="set null",
        check_company=True,
    )
    visit_state = fields.Selection(related="visit_id.state", string="Visit Status")
    can_fill_in = fields.Boolean(compute="_compute_qms_can")
    can_resend = fields.Boolean(compute="_compute_qms_can")
    color = fields.Integer(compute="_compute_qms_color")

    _sql_constraints = [
        (
            "customer_once",
            "UNIQUE(campaign_id, partner_id)",
            "A customer is surveyed once per campaign.",
        ),
    ]

    # ------------------------------------------------------------------ computes
    @api.depends("partner_id")
    def _compute_user_id(self):
        for participant in self:
            participant.user_id = participant.partner_id.sudo().user_id or participant.user_id

    @api.depends("partner_id", "contact_id")
    def _compute_channel(self):
        for participant in self:
            if not participant.channel:
                contact = participant.contact_id or participant.partner_id
                participant.channel = "email" if contact.email else "phone"

    @api.depends("date_sent", "user_input_id.state", "user_input_id.end_datetime")
    def _compute_state(self):
        for participant in self:
            answer = participant.user_input_id.sudo()
            if answer.state == "done":
                participant.state = "answered"
                participant.date_answered = answer.end_datetime or answer.write_date
            else:
                participant.state = "sent" if participant.date_sent else "draft"
                participant.date_answered = False

    @api.depends("date_sent", "partner_id", "company_id")
    def _compute_answer_deadline(self):
        cache = {}
        for participant in self:
            if participant.date_sent and participant.company_id:
                participant.answer_deadline = participant.company_id._qms_deadline(
                    ANSWER_STEP, participant.date_sent, participant.partner_id, cache
                )
            else:
                participant.answer_deadline = False

    @api.depends("selection_rule", "draw_rank", "draw_size", "draw_population")
    def _compute_draw_note(self):
        for participant in self:
            if participant.selection_rule == "key":
                participant.draw_note = self.env._("Key account: always surveyed")
            elif participant.selection_rule == "drawn":
                participant.draw_note = self.env._(
                    "Drawn %(rank)s of %(size)s among %(population)s long-term customers",
                    rank=participant.draw_rank,
                    size=participant.draw_size,
                    population=participant.draw_population,
                )
            else:
                participant.draw_note = self.env._("Added by hand")

    @api.depends("user_input_id")
    def _compute_survey_url(self):
        for participant in self:
            answer = participant.user_input_id.sudo()
            participant.survey_url = answer and answer.get_start_url()

    @api.depends("item_scores")
    @api.depends_context("lang")
    def _compute_item_scores_html(self):
        """The customer's item scores as a small table, in the questionnaire's item order; an item
        below the acceptable score in red, an item the customer did not rate left out."""
        labels = dict(self.env["qms.satisfaction.score"]._fields["item"]._description_selection(self.env))
        order = {item: rank for rank, item in enumerate(labels)}
        row = Markup(
            '<tr class="%s"><td>%s</td><td class="text-end">%s</td><td class="text-end">%s</td></tr>'
        )
        for participant in self:
            threshold = participant.company_id.qms_satisfaction_threshold
            items = sorted((participant.item_scores or {}).items(), key=lambda entry: order.get(entry[0], 99))
            body = Markup("").join(
                row
                % ("text-danger" if value < threshold else "", labels.get(item, item), f"{value:.1f}", count)
                for item, (value, count) in items
            )
            participant.item_scores_html = body and Markup(
                '<table class="table table-sm o_qms_item_scores"><thead><tr><th>%s</th>'
                '<th class="text-end">%s</th><th class="text-end">%s</th></tr></thead>'
                "<tbody>%s</tbody></table>"
            ) % (self.env._("Item"), self.env._("Score"), self.env._("Ratings"), body)

    @api.depends("score", "score_previous", "has_previous")
    def _compute_score_trend(self):
        for participant in self:
            participant.score_trend = (
                participant.score - participant.score_previous if participant.has_previous else 0.0
            )

    def _qms_owner(self):
        return self.user_id or self.campaign_id.user_id

    # ------------------------------------------------------------------ guards
    @api.model_create_multi
    def create(self, vals_list):
        participants = super().create(vals_list)
        participants._qms_check_campaign_draft()
        return participants

    def write(self, vals):
        if not self.env.su and qms_changing(self, ("channel", "contact_id"), vals):
            sent = self.filtered("date_sent")
            if sent:
                raise UserError(
                    self.env._(
                        "The questionnaire went out to %s: how it was sent is part of the dispatch log.",
                        sent[:1].display_name,
                    )
                )
        return super().write(vals)

    def _qms_check_campaign_draft(self):
        if self.env.su:
            return
        if any(participant.campaign_id.state != "draft" for participant in self):
            raise UserError(
                self.env._("Participants are added or removed only while the campaign is a draft.")
            )
        if not self.env.user.has_group(MANAGEMENT_REP):
            raise UserError(self.env._("Only the management representative chooses the participants."))

    @api.ondelete(at_uninstall=False)
    def _unlink_only_in_draft(self):
        if any(participant.date_sent for participant in self):
            raise UserError(self.env._("A participant the questionnaire was sent to cannot be removed."))
        self._qms_check_campaign_draft()

    # ------------------------------------------------------------------ dispatch
    def _qms_dispatch(self):
        """A personal survey answer for each participant (the survey's own ``_create_answer``),
        e-mailed with its link on the e-mail channel; the dispatch is logged."""
        template = self.env.ref("qms_customer.mail_template_qms_satisfaction_invitation")
        now = fields.Datetime.now()
        for participant in self:
            contact = participant.contact_id or participant.partner_id
            survey = participant.campaign_id.survey_id.sudo()
            answer = survey._create_answer(partner=contact, check_attempts=False)
            participant._qms_workflow_write(
                {
                    "user_input_id": answer.id,
                    "date_sent": now,
                    "sent_by_id": self.env.uid,
                    "contact_id": contact.id,
                }
            )
            if participant.channel == "email" and contact.email:
                participant._qms_mail_customer(template)
            else:
                participant._qms_ask_salesperson()
        return True

    def _qms_ask_salesperson(self):
        """No e-mail: a system to-do for the salesperson to collect the answers."""
        todos = []
        for participant in self:
            user = participant.user_id or participant.campaign_id.user_id
            if not user:
                continue
            reader = participant._qms_reader(user)
            channel = dict(participant._fields["channel"]._description_selection(reader.env)).get(
                participant.channel, ""
            )
            todos.append(
                reader._qms_todo_vals(
                    user,
                    reader.env._(
                        "Collect the satisfaction answers of %(customer)s (%(channel)s)",
                        customer=participant.partner_id.name,
                        channel=channel,
                    ),
                    date_deadline=participant.answer_deadline
                    and participant._qms_local_date(participant.answer_deadline, user),
                )
            )
        if todos:
            self._qms_system_activities(todos)

    def action_fill_in(self):
        """Open the participant's personal questionnaire to enter the customer's answers."""
        self._qms_ensure_can("fill_in")
        self.ensure_one()
        return {"type": "ir.actions.act_url", "url": self.survey_url, "target": "new"}

    @api.model
    def _qms_may_enter_answers(self, user_input):
        """Whether the current user may enter the answers of ``user_input`` for its customer: the
        participant is one they read (their own customer's, for sales) and may fill in now."""
        participant = self.search([("user_input_id", "=", user_input.id)], limit=1)
        return bool(participant) and participant.can_fill_in

    def action_resend(self):
        """E-mail the personal link again (logged in the chatter)."""
        self._qms_ensure_can("resend")
        template = self.env.ref("qms_customer.mail_template_qms_satisfaction_invitation")
        for participant in self:
            if not (participant.contact_id or participant.partner_id).email:
                raise UserError(
                    self.env._(
                        "%s has no e-mail address: enter its answers yourself.", participant.display_name
                    )
                )
            participant._qms_mail_customer(template)
        return True

    def _qms_on_answered(self, entered_by=None):
        """The survey answer is done: the deadline is met, the reminders close; answers entered by
        one of our users for the customer (after a call, a visit, on paper) say so in the chatter."""
        self._qms_sync_alert_activities(feedback=self.env._("The questionnaire came back."))
        if not entered_by:
            return
        for participant in self:
            # A note of the record: in its company's language, as the system's other notes.
            local = participant.with_context(lang=participant._qms_company().partner_id.lang or self.env.lang)
            channels = dict(local._fields["channel"]._description_selection(local.env))
            participant._qms_system_post(
                local.env._(
                    "%(user)s entered the customer's answers (%(channel)s).",
                    user=entered_by.name,
                    channel=channels.get(participant.channel, participant.channel or ""),
                )
            )

    # ------------------------------------------------------------------ deadline alerts
    def _qms_escalation_users(self):
        company = self._qms_company()
        return company._qms_users_in(MANAGEMENT_REP) or super()._qms_escalation_users()

    def _qms_alert_items(self, log, managers=None):
        """Before the deadline the customer is reminded by e-mail (its salesperson only when it has no
        address); after it, the salesperson and the management representatives."""
        items = super()._qms_alert_items(log, managers)
        contact = self.contact_id or self.partner_id
        if contact.email:
            items = {key: value for key, value in items.items() if key[0] != "reminder"}
        for (kind, _user), entries in list(items.items()):
            if kind == "escalation":
                for user in self.user_id.filtered("active"):
                    items.setdefault(("escalation", user), list(entries))
        return items

    def _qms_process_alerts(self, now):
        reminded = self.browse()
        for participant in self:
            log = participant.qms_alert_log or {}
            for spec, deadline, due_soon in participant._qms_open_deadlines():
                entry = log.get(spec.deadline, {})
                stamp = fields.Datetime.to_string(deadline)
                if due_soon <= now < deadline and entry.get("reminded") != stamp:
                    reminded |= participant
        result = super()._qms_process_alerts(now)
        template = self.env.ref("qms_customer.mail_template_qms_satisfaction_reminder")
        for participant in reminded:
            if (participant.contact_id or participant.partner_id).email:
                participant.sudo().message_post_with_source(
                    template,
                    message_type="comment",
                    subtype_xmlid="mail.mt_comment",
                    author_id=participant.company_id.partner_id.id,
                    email_from=participant.company_id.email_formatted,
                )
        return result

    # ------------------------------------------------------------------ follow-up
    def _qms_plan_visit(self):
        """A dissatisfied customer is visited within a month: a dissatisfaction visit (it computes
        its own planning deadline and asks its responsible to visit), once per participant; the
        visits are created and the notes logged in one batch."""
        todo = self.filtered(lambda p: not p.visit_id)
        if not todo:
            return
        vals_list = []
        for participant in todo:
            reason = self.env._(
                "Dissatisfied in the satisfaction survey %(campaign)s: %(score).1f points%(poor)s.",
                campaign=participant.campaign_id.display_name,
                score=participant.score,
                poor=self.env._(", an item rated poor") if participant.any_poor else "",
            )
            if participant.comment:
                reason = f"{reason}\n{participant.comment}"
            vals_list.append(
                {
                    "partner_id": participant.partner_id.id,
                    "company_id": participant.company_id.id,
                    "user_id": (participant.user_id or participant.campaign_id.user_id).id,
                    "visit_type": "dissatisfaction",
                    "reason": reason,
                }
            )
        visits = self.env["qms.visit"].sudo().create(vals_list)
        todo._qms_workflow_write_many(
            {
                participant.id: {"followup": "visit", "visit_id": visit.id}
                for participant, visit in zip(todo, visits, strict=True)
            }
        )
        bodies = {}
        for participant, visit in zip(todo, visits, strict=True):
            bodies[participant.id] = Markup("<p>%s</p>") % self.env._(
                "%(customer)s is dissatisfied (%(score).1f points): visit %(visit)s planned.",
                customer=participant.partner_id.display_name,
                score=participant.score,
                visit=visit.name,
            )
        root = self.env.ref("base.partner_root")
        todo.sudo()._message_log_batch(
            bodies, author_id=root.id, email_from=root.email_formatted, message_type="notification"
        )

    def action_view_visit(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "qms.visit",
            "res_id": self.visit_id.id,
            "view_mode": "form",
            "views": [(False, "form")],
        }

    def action_view_campaign(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "qms.satisfaction.campaign",
            "res_id": self.campaign_id.id,
            "view_mode": "form",
            "views": [(False, "form")],
        }
