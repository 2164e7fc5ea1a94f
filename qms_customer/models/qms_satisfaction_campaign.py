import hashlib
import logging
import math
import random
from collections import defaultdict
from datetime import timedelta

from dateutil.relativedelta import relativedelta
from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL
from odoo.tools.translate import LazyTranslate

from .qms_service_rating import CRITERIA as RATING_CRITERIA
from .qms_workflow_mixin import Transition
from .survey_question_answer import LEVEL_POINTS, TOP_TWO

# pylint: disable=prefer-env-translation
_lt = LazyTranslate(__name__)
_logger = logging.getLogger(__name__)

SALES = "qms_customer.group_qms_sales"
QUALITY = "qms_customer.group_qms_quality"
MANAGEMENT_REP = "qms_customer.group_qms_management_rep"
GENERAL_MANAGER = "qms_customer.group_qms_general_manager"
# Who reads the results of the whole campaign (sales read their own customers' participants).
RESULT_GROUPS = f"{QUALITY},{MANAGEMENT_REP},{GENERAL_MANAGER}"
TEMPLATE_SURVEY = "qms_customer.survey_qms_satisfaction_template"


class QmsSatisfactionCampaign(models.Model):
    """A customer satisfaction campaign (顾客满意度调查) of one period, run on Odoo Survey
    (REQUIREMENTS §8).

    **Sampling**: every long-term key account, and at least the company's share (70 %) of the other
    long-term customers, drawn with a seed stored on the campaign (from its number), so the same
    campaign always draws the same customers. **Dispatch**: each participant gets its own
    ``survey.user_input`` (its personal link), by e-mail or entered by sales after a call, a visit or
    on paper; the answer is due within a month (deadline step ``satisfaction_answer``).

    **Scoring** (``action_score``), on a 100-point scale: the 4 levels count very satisfied 100,
    satisfied 80, average 60 and poor 0 points (``qms_level`` of the choices). A sub-item (a matrix
    row: attitude, technical skill, arrival time, keeping promises) scores its rating; an item the
    average of its sub-items (or its single rating); a customer the weighted average of its items
    (``qms_weight`` of the questions); the campaign the average of its customers' scores (sum of the
    customers' scores / number of questionnaires). 60 or more is acceptable. CSAT is the share of
    ratings that are very satisfied or satisfied. Everything is read in one grouped query.

    **Follow-up**: a customer below the threshold or rating any item poor is dissatisfied and gets
    a visit; a customer's score falling by more than the setting, an item below the threshold
    across customers, or a complaint or suggestion in the free text gets a corrective action of the
    campaign (``qms.action``).
    """

    _name = "qms.satisfaction.campaign"
    _description = "Customer Satisfaction Campaign"
    _inherit = ["qms.action.source", "qms.workflow.mixin", "mail.thread", "mail.activity.mixin"]
    _order = "date_start desc, id desc"
    _check_company_auto = True
    _mail_post_access = "read"
    _qms_sequence_code = "qms.satisfaction.campaign"
    _qms_final_states = ("closed",)
    _qms_workflow_fields = (
        "state",
        "seed",
        "sample_note",
        "date_started",
        "started_by_id",
        "date_scored",
        "score_overall",
        "csat",
        "score_previous",
        "date_closed",
        "closed_by_id",
        "low_response_warned",
        "followup_log",
    )
    _qms_fixed_fields = ("name", "period_key")
    _qms_role_fields = {(MANAGEMENT_REP,): ("survey_id", "date_start", "user_id", "period")}
    _qms_transitions = {
        "sample": Transition(("draft",), (MANAGEMENT_REP,), _lt("draw the participants of")),
        "start": Transition(("draft",), (MANAGEMENT_REP,), _lt("start")),
        "score": Transition(("running", "closed"), (MANAGEMENT_REP, QUALITY), _lt("score")),
        "close": Transition(("running",), (MANAGEMENT_REP,), _lt("close")),
    }

    name = fields.Char(
        string="Number", required=True, readonly=True, copy=False, default=lambda s: s.env._("New")
    )
    period = fields.Char(required=True, help="The period surveyed, e.g. 2025 or 2025 Q4.")
    period_key = fields.Char(
        readonly=True, copy=False, index=True, help="The period the scheduled action prepared it for."
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda s: s.env.company, readonly=True
    )
    user_id = fields.Many2one(
        "res.users",
        string="Responsible",
        default=lambda s: s.env.user,
        tracking=True,
        check_company=True,
        domain="[('share', '=', False)]",
        help="The management representative who runs the campaign.",
    )
    survey_id = fields.Many2one(
        "survey.survey",
        string="Questionnaire",
        tracking=True,
        ondelete="restrict",
        help="The questionnaire sent to the customers: a copy of the shipped template, which you may edit.",
    )
    date_start = fields.Date(string="Start", required=True, default=fields.Date.context_today, tracking=True)
    date_due = fields.Date(
        string="Answers Due",
        compute="_compute_date_due",
        store=True,
        help="One month after the start: answers are due by then.",
    )
    state = fields.Selection(
        [("draft", "Draft"), ("running", "Running"), ("closed", "Closed")],
        default="draft",
        required=True,
        index=True,
        tracking=True,
        copy=False,
        group_expand="_qms_group_expand_states",
    )
    can_sample = fields.Boolean(compute="_compute_qms_can")
    can_start = fields.Boolean(compute="_compute_qms_can")
    can_score = fields.Boolean(compute="_compute_qms_can")
    can_close = fields.Boolean(compute="_compute_qms_can")
    seed = fields.Integer(readonly=True, copy=False, help="Seed of the reproducible draw.")
    sample_note = fields.Text(string="Sampling", readonly=True, copy=False)
    participant_ids = fields.One2many("qms.satisfaction.participant", "campaign_id", string="Participants")
    participant_count = fields.Integer(compute="_compute_response", store=True, string="Surveyed")
    answered_count = fields.Integer(compute="_compute_response", store=True, string="Answered")
    response_rate = fields.Float(
        string="Response Rate (%)",
        compute="_compute_response",
        store=True,
        digits=(16, 1),
        aggregator="avg",
    )
    low_response = fields.Boolean(compute="_compute_low_response")
    low_response_warned = fields.Boolean(readonly=True, copy=False)
    date_started = fields.Datetime(string="Sent On", readonly=True, copy=False)
    started_by_id = fields.Many2one("res.users", string="Sent By", readonly=True, copy=False)
    date_scored = fields.Datetime(string="Scored On", readonly=True, copy=False)
    score_overall = fields.Float(
        string="Overall Score",
        readonly=True,
        copy=False,
        digits=(16, 1),
        aggregator="avg",
        groups=RESULT_GROUPS,
    )
    csat = fields.Float(
        string="CSAT (%)",
        readonly=True,
        copy=False,
        digits=(16, 1),
        groups=RESULT_GROUPS,
        help="Share of the ratings that are very satisfied or satisfied (top-2 box).",
    )
    score_previous = fields.Float(
        string="Previous Score", readonly=True, copy=False, digits=(16, 1), groups=RESULT_GROUPS
    )
    score_line_ids = fields.One2many(
        "qms.satisfaction.score",
        "campaign_id",
        string="Scores",
        groups=RESULT_GROUPS,
    )
    dissatisfied_count = fields.Integer(compute="_compute_response", store=True, string="Dissatisfied")
    date_closed = fields.Datetime(string="Closed On", readonly=True, copy=False)
    closed_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    visit_count = fields.Integer(compute="_compute_visit_count", string="Follow-up Visits")
    followup_log = fields.Json(copy=False, help="The follow-ups already raised, so none is raised twice.")
    note = fields.Html()

    _sql_constraints = [
        (
            "period_key_unique",
            "UNIQUE(company_id, period_key)",
            "The company already has a satisfaction campaign for this period.",
        ),
    ]

    # ------------------------------------------------------------------ computes
    @api.depends("date_start")
    def _compute_date_due(self):
        for campaign in self:
            campaign.date_due = campaign.date_start and campaign.date_start + relativedelta(months=1)

    @api.depends("participant_ids.state", "participant_ids.dissatisfied")
    def _compute_response(self):
        counts = defaultdict(lambda: defaultdict(int))
        if self.ids:
            for campaign, state, dissatisfied, count in (
                self.env["qms.satisfaction.participant"]
                .sudo()
                ._read_group(
                    [("campaign_id", "in", self.ids)], ["campaign_id", "state", "dissatisfied"], ["__count"]
                )
            ):
                counts[campaign.id][state] += count
                counts[campaign.id]["all"] += count
                if dissatisfied:
                    counts[campaign.id]["dissatisfied"] += count
        for campaign in self:
            numbers = counts[campaign.id]
            campaign.participant_count = numbers["all"]
            campaign.answered_count = numbers["answered"]
            campaign.dissatisfied_count = numbers["dissatisfied"]
            sent = numbers["sent"] + numbers["answered"]
            campaign.response_rate = 100.0 * numbers["answered"] / sent if sent else 0.0

    @api.depends("participant_ids.visit_id")
    def _compute_visit_count(self):
        for campaign in self:
            campaign.visit_count = len(campaign.participant_ids.visit_id)

    @api.depends("state", "date_due", "response_rate")
    def _compute_low_response(self):
        today = fields.Date.context_today(self)
        for campaign in self:
            campaign.low_response = (
                campaign.state == "running"
                and campaign.date_due
                and campaign.date_due <= today
                and campaign.response_rate < campaign.company_id.qms_satisfaction_response_percent
            )

    @api.model
    def _qms_sales_domain(self):
        """Sales staff see the campaigns that survey one of their customers."""
        uid = self.env.uid
        return ["|", ("participant_ids.user_id", "=", uid), ("participant_ids.partner_id.user_id", "=", uid)]

    # ------------------------------------------------------------------ create
    @api.model_create_multi
    def create(self, vals_list):
        campaigns = super().create(vals_list)
        for campaign in campaigns:
            seed = int(hashlib.sha256(f"{campaign.name}/{campaign.id}".encode()).hexdigest()[:7], 16)
            vals = {"seed": seed}
            if not campaign.survey_id:
                vals["survey_id"] = campaign._qms_copy_template().id
            # The seed is the workflow's; a campaign without questionnaire gets the template's copy.
            campaign._qms_workflow_write(vals)
        return campaigns

    def _qms_copy_template(self):
        """A copy of the shipped questionnaire for this campaign (the template stays as it is)."""
        self.ensure_one()
        template = self.env.ref(TEMPLATE_SURVEY, raise_if_not_found=False)
        if not template:
            return self.env["survey.survey"]
        survey = template.sudo().copy({"active": True})
        # Survey's copy names it "<template> (copy)" whatever is given: titled here in every
        # language in use, so each customer reads it in theirs.
        for code, _name in self.env["res.lang"].get_installed():
            reader = self.with_context(lang=code)
            survey.with_context(lang=code).title = reader.env._(
                "Customer Satisfaction Survey %(period)s", period=self.period
            )
        return survey

    @api.ondelete(at_uninstall=False)
    def _unlink_only_draft(self):
        if any(campaign.state != "draft" for campaign in self):
            raise UserError(
                self.env._(
                    "A campaign that was sent to customers is part of the quality records: it cannot be "
                    "deleted."
                )
            )

    # ------------------------------------------------------------------ sampling
    def _qms_population(self):
        """The company's long-term customers (companies or individuals, not contacts)."""
        self.ensure_one()
        return (
            self.env["res.partner"]
            .sudo()
            .search(
                [
                    ("qms_long_term", "=", True),
                    ("parent_id", "=", False),
                    ("company_id", "in", [self.company_id.id, False]),
                ],
                order="id",
            )
        )

    def _qms_minimum_drawn(self, others_count):
        share = self.company_id.qms_satisfaction_sample_percent or 0.0
        # 70 % of 7 is 4.9, so 5 customers: rounded up, with a tolerance for the float product.
        return math.ceil(others_count * share / 100.0 - 1e-9)

    def action_sample(self):
        """Draw the participants: every long-term key account, and the minimum share of the other
        long-term customers drawn with the campaign's seed. Participants added by hand stay; the
        draw replaces the previous draw (the same seed gives the same customers)."""
        self._qms_ensure_can("sample")
        Participant = self.env["qms.satisfaction.participant"]
        for campaign in self:
            population = campaign._qms_population()
            keys = population.filtered("qms_key_account")
            others = population - keys
            count = campaign._qms_minimum_drawn(len(others))
            drawn = others.browse(random.Random(campaign.seed).sample(others.ids, count))  # noqa: S311
            campaign.participant_ids.filtered(lambda p: p.selection_rule in ("key", "drawn")).sudo().unlink()
            kept = campaign.participant_ids.partner_id
            vals_list = [
                {"campaign_id": campaign.id, "partner_id": partner.id, "selection_rule": "key"}
                for partner in keys - kept
            ]
            vals_list += [
                {
                    "campaign_id": campaign.id,
                    "partner_id": partner.id,
                    "selection_rule": "drawn",
                    "draw_rank": rank,
                    "draw_size": count,
                    "draw_population": len(others),
                }
                for rank, partner in enumerate(drawn, start=1)
                if partner not in kept
            ]
            with Participant._qms_granted(["selection_rule", "draw_rank", "draw_size", "draw_population"]):
                Participant.create(vals_list)
            note = self.env._(
                "%(keys)s long-term key accounts, all surveyed; %(count)s of %(others)s other long-term "
                "customers drawn (at least %(share)s %%, seed %(seed)s).",
                keys=len(keys),
                count=count,
                others=len(others),
                share=campaign.company_id.qms_satisfaction_sample_percent,
                seed=campaign.seed,
            )
            campaign._qms_workflow_write({"sample_note": note})
            campaign._qms_system_post(note)
        return True

    def _qms_check_sample(self):
        """Refuse a campaign without questionnaire or participants, or below the minimum."""
        self.ensure_one()
        if not self.survey_id:
            raise UserError(self.env._("%s has no questionnaire: choose one first.", self.display_name))
        if not self.participant_ids:
            raise UserError(
                self.env._(
                    "%s has no participants: draw them (Sample) or add customers first.", self.display_name
                )
            )
        population = self._qms_population()
        keys = population.filtered("qms_key_account")
        others = population - keys
        surveyed = self.participant_ids.partner_id
        missing = keys - surveyed
        if missing:
            raise UserError(
                self.env._(
                    "Every long-term key account must be surveyed: %(customers)s missing from %(campaign)s.",
                    customers=", ".join(missing.mapped("display_name")),
                    campaign=self.display_name,
                )
            )
        minimum = self._qms_minimum_drawn(len(others))
        if len(others & surveyed) < minimum:
            raise UserError(
                self.env._(
                    "%(campaign)s surveys %(count)s of %(total)s other long-term customers: at least "
                    "%(minimum)s (%(share)s %%) are required.",
                    campaign=self.display_name,
                    count=len(others & surveyed),
                    total=len(others),
                    minimum=minimum,
                    share=self.company_id.qms_satisfaction_sample_percent,
                )
            )

    # ------------------------------------------------------------------ dispatch
    def action_start(self):
        """Send the questionnaire: a personal survey answer for each participant, e-mailed with its
        link or left for the salesperson to fill in after a call, a visit or on paper."""
        self._qms_ensure_can("start")
        for campaign in self:
            campaign._qms_check_sample()
        for campaign in self:
            campaign._qms_workflow_write(
                {
                    "state": "running",
                    "date_start": fields.Date.context_today(campaign),
                    "date_started": fields.Datetime.now(),
                    "started_by_id": self.env.uid,
                }
            )
            campaign.participant_ids._qms_dispatch()
        return True

    # ------------------------------------------------------------------ scoring
    def action_score(self):
        self._qms_ensure_can("score")
        for campaign in self:
            campaign._qms_score()
            campaign._qms_followups()
        return True

    def _qms_answered(self, fnames=("partner_id", "user_input_id")):
        """The participants who answered, with ``fnames`` read in the same query (a campaign can
        survey thousands of customers: no need to load every column)."""
        return self.env["qms.satisfaction.participant"].search_fetch(
            [("campaign_id", "in", self.ids), ("state", "=", "answered")], list(fnames)
        )

    def _qms_read_ratings(self, participants):
        """The ratings of these participants' answers as {participant: {(item, row id, level):
        [count, weight]}}, in one grouped query (an item weighs what its heaviest question weighs),
        and their free-text complaints or suggestions as {participant: text}."""
        by_input = {p.user_input_id.id: p for p in participants}
        self.env["survey.user_input.line"].flush_model()
        self.env["survey.question"].flush_model(["qms_item", "qms_weight"])
        self.env["survey.question.answer"].flush_model(["qms_level"])
        self.env.cr.execute(
            SQL(
                """
                SELECT l.user_input_id, q.qms_item, l.matrix_row_id, a.qms_level,
                       count(*), max(coalesce(q.qms_weight, 0))
                  FROM survey_user_input_line l
                  JOIN survey_question q ON q.id = l.question_id
                  JOIN survey_question_answer a ON a.id = l.suggested_answer_id
                 WHERE l.user_input_id = ANY(%s) AND l.skipped IS NOT TRUE AND l.answer_type = 'suggestion'
                   AND q.qms_item IS NOT NULL AND q.qms_item != 'comment' AND a.qms_level IS NOT NULL
              GROUP BY 1, 2, 3, 4
                """,
                list(by_input),
            )
        )
        ratings = defaultdict(dict)
        for input_id, item, row_id, level, count, weight in self.env.cr.fetchall():
            ratings[by_input[input_id]][(item, row_id, level)] = (count, weight)
        comments = {}
        for line in (
            self.env["survey.user_input.line"]
            .sudo()
            .search_fetch(
                [
                    ("user_input_id", "in", list(by_input)),
                    ("skipped", "=", False),
                    ("question_id.qms_item", "=", "comment"),
                ],
                ["user_input_id", "value_text_box", "value_char_box"],
            )
        ):
            text = (line.value_text_box or line.value_char_box or "").strip()
            if text:
                participant = by_input[line.user_input_id.id]
                comments[participant] = "\n".join(filter(None, [comments.get(participant), text]))
        return ratings, comments

    def _qms_score(self):
        """Score the answered participants and the campaign (see the class docstring)."""
        self.ensure_one()
        answered = self._qms_answered()
        if not answered:
            raise UserError(
                self.env._("%s has no answers yet: there is nothing to score.", self.display_name)
            )
        ratings, comments = self._qms_read_ratings(answered)
        if not ratings:
            raise UserError(
                self.env._(
                    "The answers of %s rate no satisfaction item: give the questionnaire's rating questions "
                    "their item and their choices their level.",
                    self.display_name,
                )
            )
        rows = {
            row.id: row.value
            for row in self.env["survey.question.answer"]
            .sudo()
            .browse({row_id for rated in ratings.values() for _item, row_id, _level in rated if row_id})
        }
        threshold = self.company_id.qms_satisfaction_threshold
        previous = self._qms_previous()
        previous_scores = (
            dict(
                self.env["qms.satisfaction.participant"]
                .sudo()
                ._read_group(
                    [("campaign_id", "=", previous.id), ("state", "=", "answered")],
                    ["partner_id"],
                    ["score:max"],
                )
            )
            if previous
            else {}
        )
        previous_items = {
            (line.item, line.subitem or False): line.score for line in previous.sudo().score_line_ids
        }
        item_scores = defaultdict(list)  # item -> [customer's item score]
        sub_points = defaultdict(lambda: [0.0, 0])  # (item, sub-item) -> [points, ratings]
        level_counts = defaultdict(int)  # level -> ratings of all customers
        participant_vals = {}
        for participant in answered:
            rated = ratings.get(participant, {})
            for (item, row_id, level), (count, _weight) in rated.items():
                level_counts[level] += count
                if row_id:
                    sub = sub_points[(item, rows[row_id])]
                    sub[0] += LEVEL_POINTS[level] * count
                    sub[1] += count
            score, scores, levels = self._qms_customer_score(rated)
            for item, (value, _count) in scores.items():
                item_scores[item].append(value)
            rated = sum(levels.values())
            before = previous_scores.get(participant.partner_id)
            participant_vals[participant.id] = {
                "score": score,
                "csat": 100.0 * sum(levels[level] for level in TOP_TWO) / rated if rated else 0.0,
                "any_poor": bool(levels["poor"]),
                "dissatisfied": bool(rated) and (score < threshold or bool(levels["poor"])),
                "score_previous": before or 0.0,
                "has_previous": before is not None,
                "comment": comments.get(participant) or None,
                "item_scores": scores,
            }
        lines = [
            {
                "campaign_id": self.id,
                "item": item,
                "subitem": subitem,
                "score": points / count,
                "answer_count": count,
                "score_previous": previous_items.get((item, subitem), 0.0),
            }
            for (item, subitem), (points, count) in sub_points.items()
        ] + [
            {
                "campaign_id": self.id,
                "item": item,
                "subitem": False,
                "score": sum(values) / len(values),
                "answer_count": len(values),
                "score_previous": previous_items.get((item, False), 0.0),
            }
            for item, values in item_scores.items()
        ]
        Score = self.env["qms.satisfaction.score"].sudo()
        Score.search([("campaign_id", "=", self.id)]).unlink()
        Score.create(lines)
        answered._qms_workflow_write_many(participant_vals)
        scored = [vals["score"] for vals in participant_vals.values()]
        all_ratings = sum(level_counts.values())
        self._qms_workflow_write(
            {
                "score_overall": sum(scored) / len(scored),
                "csat": 100.0 * sum(level_counts[level] for level in TOP_TWO) / all_ratings,
                "score_previous": previous.sudo().score_overall if previous else 0.0,
                "date_scored": fields.Datetime.now(),
            }
        )

    @api.model
    def _qms_customer_score(self, rated):
        """(score, {item: [score, ratings]}, {level: ratings}) of one customer's ratings
        {(item, row, level): (ratings, weight)}: an item scores the average points of its ratings, the
        customer the average of its items weighted by their heaviest question (plain when all weigh 0)."""
        per_item = defaultdict(lambda: [0.0, 0])
        weights = defaultdict(float)
        levels = defaultdict(int)
        for (item, _row, level), (count, weight) in rated.items():
            per_item[item][0] += LEVEL_POINTS[level] * count
            per_item[item][1] += count
            weights[item] = max(weights[item], weight)
            levels[level] += count
        scores = {item: [points / count, count] for item, (points, count) in per_item.items()}
        total_weight = sum(weights.values())
        if total_weight:
            score = sum(scores[item][0] * weights[item] for item in scores) / total_weight
        else:
            score = sum(value for value, _count in scores.values()) / len(scores) if scores else 0.0
        return score, scores, levels

    def _qms_previous(self):
        """The company's previous scored campaign."""
        self.ensure_one()
        return self.search(
            [
                ("company_id", "=", self.company_id.id),
                ("date_scored", "!=", False),
                ("date_start", "<", self.date_start),
                ("id", "!=", self.id),
            ],
            order="date_start desc, id desc",
            limit=1,
        )

    # ------------------------------------------------------------------ follow-up
    def _qms_followups(self):
        """Visits for the dissatisfied, corrective actions for a falling score, a low item or a
        complaint or suggestion; each raised once (``followup_log``)."""
        self.ensure_one()
        log = dict(self.followup_log or {})
        company = self.company_id
        threshold, drop = company.qms_satisfaction_threshold, company.qms_satisfaction_drop
        actions = []
        items = dict(self.env["qms.satisfaction.score"]._fields["item"]._description_selection(self.env))
        answered = self._qms_answered(
            ("partner_id", "dissatisfied", "visit_id", "has_previous", "score", "score_previous", "comment")
        )
        answered.filtered("dissatisfied")._qms_plan_visit()
        for participant in answered.filtered(lambda p: p.comment or p.has_previous):
            customer = participant.partner_id.name
            if participant.has_previous and participant.score_previous - participant.score > drop:
                actions.append(
                    (
                        f"drop:{participant.partner_id.id}",
                        self.env._(
                            "Satisfaction of %(customer)s fell from %(before).1f to %(now).1f points: find "
                            "the causes and act on them.",
                            customer=customer,
                            before=participant.score_previous,
                            now=participant.score,
                        ),
                    )
                )
            if participant.comment:
                actions.append(
                    (
                        f"comment:{participant.partner_id.id}",
                        self.env._(
                            "Complaint or suggestion of %(customer)s in the satisfaction survey: %(text)s",
                            customer=customer,
                            text=participant.comment,
                        ),
                    )
                )
        for line in self.sudo().score_line_ids:
            if line.score < threshold:
                label = f"{items[line.item]} / {line.subitem}" if line.subitem else items[line.item]
                actions.append(
                    (
                        f"item:{line.item}:{line.subitem or ''}",
                        self.env._(
                            "%(item)s scored %(score).1f points across customers, below the acceptable "
                            "%(threshold).0f: improve it.",
                            item=label,
                            score=line.score,
                            threshold=threshold,
                        ),
                    )
                )
        todo = [(key, text) for key, text in actions if key not in log]
        if not todo:
            return
        responsible = self.user_id if self.user_id.active and not self.user_id.share else self.env.user
        deadline = fields.Date.context_today(self) + timedelta(days=30)
        created = (
            self.env["qms.action"]
            .sudo()
            .create(
                [
                    {
                        "res_model": self._name,
                        "res_id": self.id,
                        "action_type": "corrective",
                        "description": text,
                        "user_id": responsible.id,
                        "date_deadline": deadline,
                    }
                    for _key, text in todo
                ]
            )
        )
        for (key, _text), action in zip(todo, created, strict=True):
            log[key] = action.id
        self._qms_workflow_write({"followup_log": log})
        self._qms_system_post(
            Markup("<p>%s</p><ul>%s</ul>")
            % (
                self.env._("Corrective actions raised from the satisfaction results:"),
                Markup("").join(Markup("<li>%s</li>") % text for _key, text in todo),
            )
        )

    # ------------------------------------------------------------------ close
    def action_close(self):
        self._qms_ensure_can("close")
        for campaign in self:
            if campaign._qms_answered() and not campaign.date_scored:
                campaign._qms_score()
                campaign._qms_followups()
        self._qms_workflow_write(
            {"state": "closed", "date_closed": fields.Datetime.now(), "closed_by_id": self.env.uid}
        )
        self.filtered("date_scored")._qms_send_analysis()
        return True

    def _qms_send_analysis(self):
        """The analysis report, PDF and XLSX, to the management representatives and the general
        managers of the company (the input of management review)."""

        def files(campaign, pdf):
            stem = campaign.name.replace("/", "-")
            wizard = campaign.env["qms.satisfaction.analysis.wizard"].create({"campaign_id": campaign.id})
            return [
                (campaign.env._("Satisfaction Analysis %(campaign)s.pdf", campaign=stem), pdf),
                (
                    campaign.env._("Satisfaction Analysis %(campaign)s.xlsx", campaign=stem),
                    wizard._qms_build(),
                ),
            ]

        def body(campaign):
            return campaign.env._(
                "Satisfaction analysis of %(campaign)s for management review: overall score %(score).1f "
                "(previous %(previous).1f), response rate %(rate).1f %%, %(dissatisfied)s dissatisfied "
                "customers. The report is attached (PDF and XLSX).",
                campaign=campaign.display_name,
                score=campaign.score_overall,
                previous=campaign.score_previous,
                rate=campaign.response_rate,
                dissatisfied=campaign.dissatisfied_count,
            )

        return self._qms_send_to_management(
            "qms_customer.action_report_qms_satisfaction_analysis",
            (MANAGEMENT_REP, GENERAL_MANAGER),
            files,
            body,
        )

    # ------------------------------------------------------------------ scheduled action
    @api.model
    def _qms_period_of(self, company, today):
        """(key, label, first day) of the period ``company`` surveys on ``today``, or None before
        October for a yearly survey."""
        if company.qms_satisfaction_period == "quarterly":
            quarter = (today.month - 1) // 3 + 1
            first = today.replace(month=3 * quarter - 2, day=1)
            return f"{today.year}-Q{quarter}", f"{today.year} Q{quarter}", first
        if today.month < 10:
            return None
        return str(today.year), str(today.year), today.replace(month=10, day=1)

    @api.model
    def _cron_qms_satisfaction(self):
        """Prepare each company's campaign of the current period (once) and tell its management
        representatives; warn of a low response rate at the due date; chase the answers."""
        companies = self.env["res.company"].search([("active", "=", True)])
        existing = {
            (campaign.company_id.id, campaign.period_key)
            for campaign in self.with_context(active_test=False).search_fetch(
                [("period_key", "!=", False)], ["company_id", "period_key"]
            )
        }
        for company in companies:
            period = self._qms_period_of(company, company._qms_local_today())
            if not period or (company.id, period[0]) in existing:
                continue
            try:
                with self.env.cr.savepoint():
                    self._qms_prepare_campaign(company, *period)
            except Exception:
                # One company's failure (its template deleted...) must not stop the others; logged
                # with its traceback and retried by the next run.
                _logger.exception("Satisfaction campaign of %s could not be prepared", company.display_name)
        self._qms_warn_low_response()
        self.env["qms.satisfaction.participant"]._qms_cron_deadlines()

    @api.model
    def _qms_prepare_campaign(self, company, key, label, first):
        reps = company._qms_users_in(MANAGEMENT_REP)
        campaign = self.with_company(company).create(
            {
                "company_id": company.id,
                "period": label,
                "period_key": key,
                "date_start": first,
                "user_id": reps[:1].id,
            }
        )
        todos = []
        for user in reps:
            reader = campaign._qms_reader(user)
            todos.append(
                reader._qms_todo_vals(
                    user,
                    reader.env._("Prepare the satisfaction survey %(campaign)s", campaign=campaign.period),
                    note=reader.env._("Draw the participants, check the questionnaire and send it."),
                )
            )
        if todos:
            self._qms_system_activities(todos)
        return campaign

    @api.model
    def _qms_warn_low_response(self):
        """Running campaigns at or past their due date below the minimum response rate: a note by
        the system and a to-do for the responsible, once."""
        today = fields.Date.context_today(self)
        campaigns = self.search(
            [("state", "=", "running"), ("date_due", "<=", today), ("low_response_warned", "=", False)]
        )
        todos = []
        for campaign in campaigns:
            minimum = campaign.company_id.qms_satisfaction_response_percent
            if campaign.response_rate >= minimum:
                continue
            text = self.env._(
                "Only %(rate).0f %% of the questionnaires came back by %(date)s (at least %(minimum).0f %% "
                "are required): chase the missing answers.",
                rate=campaign.response_rate,
                date=campaign.date_due,
                minimum=minimum,
            )
            campaign._qms_system_post(text)
            campaign._qms_workflow_write({"low_response_warned": True})
            user = campaign.user_id
            if user:
                reader = campaign._qms_reader(user)
                todos.append(reader._qms_todo_vals(user, reader.env._("Low response rate"), note=text))
        if todos:
            self._qms_system_activities(todos)

    # ------------------------------------------------------------------ smart buttons
    def action_view_survey(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "survey.survey",
            "res_id": self.survey_id.id,
            "view_mode": "form",
            "views": [(False, "form")],
        }

    def action_view_answers(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("survey.action_survey_user_input")
        action["domain"] = [("id", "in", self.participant_ids.user_input_id.ids)]
        action["context"] = {"create": False}
        return action

    def action_view_visits(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("qms_customer.action_qms_visit")
        action["domain"] = [("id", "in", self.participant_ids.visit_id.ids)]
        action["context"] = {"create": False}
        return action

    def action_view_participants(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "qms_customer.action_qms_satisfaction_participant"
        )
        action["domain"] = [("campaign_id", "=", self.id)]
        action["context"] = {"default_campaign_id": self.id}
        return action

    # ------------------------------------------------------------------ demo
    @api.model
    def _qms_demo_satisfaction(self):
        """Demo: the October campaign of the demo company, prepared by the scheduled action, drawn
        and sent by the management representative; a key account answers well, the other one is
        dissatisfied and complains (a visit and corrective actions follow), one customer's answers are
        entered by its salesperson after a phone call, the rest are still awaited; then scored."""
        ref = self.env.ref
        company = ref("base.main_company")
        rep = ref("qms_customer.user_qms_management_rep")
        today = company._qms_local_today()
        year = today.year if today.month >= 10 else today.year - 1
        campaign = self._qms_prepare_campaign(
            company, str(year), str(year), today.replace(year=year, month=10, day=1)
        )
        campaign = campaign.with_user(rep).with_context(lang=rep.lang)
        campaign.action_sample()
        participants = campaign.participant_ids
        huadong, jiangnan = ref("qms_customer.partner_huadong"), ref("qms_customer.partner_jiangnan")
        by_phone = participants.filtered(lambda p: p.partner_id not in huadong | jiangnan)[:1]
        if by_phone:
            by_phone.channel = "phone"
        campaign.action_start()
        # The two key accounts answer through their personal link, as the public user does.
        customers = self.with_user(ref("base.public_user"))
        happy = {"quality": "very_satisfied", "delivery": "satisfied", "price": "average"}
        customers._qms_demo_answer(
            participants.filtered(lambda p: p.partner_id == huadong), happy, "satisfied"
        )
        unhappy = {"quality": "average", "delivery": "poor", "price": "average", "communication": "average"}
        customers._qms_demo_answer(
            participants.filtered(lambda p: p.partner_id == jiangnan),
            unhappy,
            "average",
            comment="交货经常延迟，希望改进包装。(Deliveries are often late; please improve the packaging.)",
        )
        if by_phone:
            # Through the salesperson's Enter Answers, as the survey controller lets them in.
            salesperson = by_phone.user_id or rep
            entering = by_phone.with_user(salesperson).with_context(lang=salesperson.lang)
            entering.action_fill_in()
            assert entering._qms_may_enter_answers(by_phone.user_input_id), "the controller would refuse"
            self.with_user(salesperson)._qms_demo_answer(entering, {"quality": "satisfied"}, "satisfied")
        campaign.action_score()
        return campaign

    @api.model
    def _qms_demo_answer(self, participant, levels, service_level, comment=None, default="satisfied"):
        """Fill in and submit a participant's questionnaire as the current user does through the
        survey's pages (sudo, as its controller): ``levels`` per item (``default`` for the others),
        ``service_level`` for every service sub-item."""
        if not participant:
            return
        answer = participant.sudo().user_input_id.with_env(self.env).sudo()
        for question in participant.campaign_id.survey_id.sudo().question_ids:
            if question.qms_item == "comment":
                if comment:
                    answer._save_lines(question, comment)
                continue
            if not question.qms_item:
                continue
            level = (
                service_level
                if question.question_type == "matrix"
                else levels.get(question.qms_item, default)
            )
            choice = question.suggested_answer_ids.filtered(lambda a, lv=level: a.qms_level == lv)[:1]
            if question.question_type == "matrix":
                answer._save_lines(question, {row.id: [choice.id] for row in question.matrix_row_ids})
            else:
                answer._save_lines(question, choice.id)
        answer._mark_done()

    # ------------------------------------------------------------------ analysis report
    def _qms_analysis(self):
        """What the analysis report (PDF and XLSX) shows, read once: the response, the scores per
        item and sub-item with their trend, per customer with its trend, the customers below the
        threshold and the follow-ups with their status."""
        self.ensure_one()
        threshold = self.company_id.qms_satisfaction_threshold
        items = self.sudo().score_line_ids.sorted(lambda line: (line.item, line.subitem or ""))
        answered = self.participant_ids.filtered(lambda p: p.state == "answered").sorted(
            lambda p: (-p.score, p.partner_id.display_name)
        )
        actions = self.qms_action_ids.sorted("id")
        labels = dict(items._fields["item"]._description_selection(self.env))
        return {
            "threshold": threshold,
            "items": items,
            # The items scored, in the questionnaire's order: the columns of the customers' table.
            "item_columns": [(item, labels[item]) for item in labels if item in set(items.mapped("item"))],
            "customers": answered,
            "below": answered.filtered(lambda p: p.dissatisfied),
            "visits": self.participant_ids.visit_id,
            "actions": actions,
            "unanswered": self.participant_ids.filtered(lambda p: p.state != "answered"),
            "service": self._qms_service_ratings(),
        }

    def _qms_rating_window(self):
        """(first day, last day) of the service ratings shown with the survey: the year (a quarter
        for a quarterly survey) before the campaign's start, up to the day its answers are due."""
        self.ensure_one()
        span = (
            relativedelta(months=3)
            if self.company_id.qms_satisfaction_period == "quarterly"
            else (relativedelta(years=1))
        )
        last = self.date_due or self.date_start
        return self.date_start - span, last

    def _qms_service_ratings(self):
        """The service ratings (对服务人员的品评) of the campaign's period, shown with the survey
        results, from one grouped read: per criterion the share of each level over all the company's
        ratings, and per participant its customer's number of ratings and score per criterion (on
        the survey's scale)."""
        self.ensure_one()
        Rating = self.env["qms.service.rating"]
        first, last = self._qms_rating_window()
        counts = Rating._qms_level_counts(
            [
                ("company_id", "=", self.company_id.id),
                ("state", "=", "recorded"),
                ("date", ">=", first),
                ("date", "<=", last),
            ]
        )
        levels = Rating._fields["attitude"]._description_selection(self.env)
        criteria = [(name, Rating._fields[name]._description_string(self.env)) for name in RATING_CRITERIA]
        summary = []
        for name, label in criteria:
            per_level = {level: 0 for level, _label in levels}
            for per_partner in counts.values():
                for level, count in per_partner[name].items():
                    per_level[level] += count
            total = sum(per_level.values())
            shares = [100.0 * per_level[level] / total if total else 0.0 for level, _label in levels]
            summary.append({"criterion": label, "count": total, "shares": shares})
        customers = []
        for participant in self.participant_ids:
            rated = counts.get(participant.partner_id.id)
            if not rated:
                continue
            scores = []
            for name, _label in criteria:
                number = sum(rated[name].values())
                points = sum(LEVEL_POINTS[level] * count for level, count in rated[name].items())
                scores.append(points / number if number else None)
            customers.append(
                {"participant": participant, "count": sum(rated[criteria[0][0]].values()), "scores": scores}
            )
        return {
            "date_from": first,
            "date_to": last,
            "levels": levels,
            "criteria": criteria,
            "summary": summary,
            "customers": customers,
            "count": summary[0]["count"] if summary else 0,
        }

    def action_print_analysis(self):
        return self.env.ref("qms_customer.action_report_qms_satisfaction_analysis").report_action(self)

    def action_export_analysis(self):
        self.ensure_one()
        wizard = self.env["qms.satisfaction.analysis.wizard"].create({"campaign_id": self.id})
        return wizard.action_generate()
