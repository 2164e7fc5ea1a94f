import logging
from collections import namedtuple
from datetime import datetime, time, timedelta

import pytz
from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.osv import expression
from odoo.tools import format_datetime

from ..tools import deadline as dl

_logger = logging.getLogger(__name__)

# One watched deadline of a document: its stored deadline, the timestamp that meets it, the
# event the window starts from (for "due soon"), and who is reminded.
DeadlineSpec = namedtuple("DeadlineSpec", "deadline done start responsible")

DEADLINE_STATES = [
    ("on_time", "On Time"),
    ("due_soon", "Due Soon"),
    ("overdue", "Overdue"),
    ("done", "Done"),
]


class QmsDeadlineMixin(models.AbstractModel):
    """Deadline engine shared by every QMS family.

    A model lists its deadlines in ``_qms_deadline_specs``. The mixin keeps three indexed,
    stored summaries (next deadline, next due-soon moment, next alert) so that views, filters and
    the scheduled action read stored columns only; ``qms_alert_log`` remembers which deadline
    value was already reminded / escalated, so every alert happens once per deadline.
    """

    _name = "qms.deadline.mixin"
    _description = "QMS Deadline Tracking"

    _qms_deadline_specs = ()
    _qms_closed_states = ("closed", "cancelled")
    _qms_cron_batch = 200

    qms_next_deadline = fields.Datetime(
        string="Next Deadline", compute="_compute_qms_deadline_summary", store=True, index=True
    )
    qms_next_due_soon = fields.Datetime(
        string="Next Due-soon Time", compute="_compute_qms_deadline_summary", store=True, index=True
    )
    qms_next_alert = fields.Datetime(
        string="Next Alert", compute="_compute_qms_deadline_summary", store=True, index=True, copy=False
    )
    qms_alert_log = fields.Json(string="Alert Log", copy=False)
    deadline_state = fields.Selection(
        DEADLINE_STATES[:3],
        compute="_compute_deadline_state",
        search="_search_deadline_state",
        help="Overdue: a deadline has passed; due soon: less than the due-soon share of a " "window is left.",
    )
    qms_due_today = fields.Boolean(
        string="Due Today",
        compute="_compute_deadline_state",
        search="_search_qms_due_today",
        help="The next deadline falls before the end of the user's day: today's work, late items included.",
    )

    # ---------------------------------------------------------------- summaries
    def _qms_deadline_depends(self):
        names = ["state", "company_id.qms_due_soon_percent", "qms_alert_log"]
        for spec in self._qms_deadline_specs:
            names += [spec.deadline, spec.done, spec.start]
        return names

    def _qms_open_deadlines(self):
        """[(spec, deadline, due_soon_at)] of this record's deadlines that are set and not met."""
        self.ensure_one()
        if self.state in self._qms_closed_states:
            return []
        share = (self.company_id.qms_due_soon_percent or 0.0) / 100.0
        result = []
        for spec in self._qms_deadline_specs:
            deadline = self[spec.deadline]
            if deadline and not self[spec.done]:
                result.append((spec, deadline, dl.due_soon_at(self[spec.start], deadline, share)))
        return result

    def _qms_deadline_statuses(self, now):
        """{spec: on_time/due_soon/overdue/done, or False when unset or no longer chased}."""
        self.ensure_one()
        share = (self.company_id.qms_due_soon_percent or 0.0) / 100.0
        closed = self.state in self._qms_closed_states
        statuses = {}
        for spec in self._qms_deadline_specs:
            deadline, done = self[spec.deadline], self[spec.done]
            if not deadline or (closed and not done):
                statuses[spec] = False
                continue
            due_soon = dl.due_soon_at(self[spec.start], deadline, share)
            statuses[spec] = dl.deadline_state(now, deadline, done, due_soon)
        return statuses

    @api.depends(lambda self: self._qms_deadline_depends())
    def _compute_qms_deadline_summary(self):
        for record in self:
            opened = record._qms_open_deadlines()
            log = record.qms_alert_log or {}
            alerts = []
            for spec, deadline, due_soon in opened:
                entry = log.get(spec.deadline, {})
                stamp = fields.Datetime.to_string(deadline)
                if entry.get("escalated") != stamp:
                    alerts.append(deadline if entry.get("reminded") == stamp else due_soon)
            record.qms_next_deadline = min((d for _s, d, _ds in opened), default=False)
            record.qms_next_due_soon = min((ds for _s, _d, ds in opened), default=False)
            record.qms_next_alert = min(alerts, default=False)

    @api.depends("qms_next_deadline", "qms_next_due_soon")
    @api.depends_context("uid")
    def _compute_deadline_state(self):
        now = fields.Datetime.now()
        today_end = self._qms_user_day_end()
        for record in self:
            record.deadline_state = dl.deadline_state(
                now, record.qms_next_deadline, False, record.qms_next_due_soon
            )
            record.qms_due_today = bool(record.qms_next_deadline and record.qms_next_deadline <= today_end)

    def _search_deadline_state(self, operator, value):
        if operator not in ("=", "!=", "in", "not in"):
            raise UserError(self.env._("Unsupported search on the deadline status."))
        values = {value} if isinstance(value, str) else set(value or ())
        if operator in ("!=", "not in"):  # the three states partition every record
            values = {"overdue", "due_soon", "on_time"} - values
        now = fields.Datetime.now()
        domains = {
            "overdue": [("qms_next_deadline", "<", now)],
            "due_soon": [("qms_next_deadline", ">=", now), ("qms_next_due_soon", "<=", now)],
            "on_time": [
                "|",
                ("qms_next_deadline", "=", False),
                "&",
                ("qms_next_deadline", ">=", now),
                ("qms_next_due_soon", ">", now),
            ],
        }
        return expression.OR([domains[v] for v in values if v in domains] or [expression.FALSE_DOMAIN])

    def _search_qms_due_today(self, operator, value):
        if operator not in ("=", "!="):
            raise UserError(self.env._("Unsupported search on 'Due Today'."))
        due_today = [("qms_next_deadline", "<=", self._qms_user_day_end())]
        return due_today if (operator == "=") == bool(value) else ["!", *due_today]

    def _qms_user_day_end(self):
        """End of the user's today, as naive UTC."""
        tz = pytz.timezone(self.env.user.tz or "UTC")
        local_now = pytz.utc.localize(fields.Datetime.now()).astimezone(tz)
        end = tz.localize(datetime.combine(local_now.date(), time.max))
        return end.astimezone(pytz.utc).replace(tzinfo=None)

    # --------------------------------------------------------------- meeting a deadline
    def write(self, vals):
        met = [s for s in self._qms_deadline_specs if vals.get(s.done)]
        result = super().write(vals)
        if met:
            self._qms_close_alert_activities(met)
        return result

    def _qms_close_alert_activities(self, specs):
        """A met deadline needs no more chasing: mark its reminder/escalation activities done."""
        ids = []
        for record in self:
            log = record.qms_alert_log or {}
            for spec in specs:
                ids += log.get(spec.deadline, {}).get("activity_ids", [])
        activities = self.env["mail.activity"].sudo().browse(ids).exists()
        if activities:
            activities.action_feedback(feedback=self.env._("Deadline met."))

    # --------------------------------------------------------------- scheduled action
    @api.model
    def _qms_cron_deadlines(self):
        """Remind before and escalate after every deadline of this model, once per deadline.

        Selects only rows whose stored next alert is due (indexed), one batch per call, locks
        them so a second cron worker skips them, and lets one bad record fail alone.
        """
        now = fields.Datetime.now()
        domain = [("qms_next_alert", "<=", now)]
        records = self.search(domain, order="qms_next_alert, id", limit=self._qms_cron_batch)
        records = records._qms_lock_for_update()
        failed = []
        for record in records:
            try:
                with self.env.cr.savepoint():
                    record._qms_process_alerts(now)
            except Exception:
                # Logged with its traceback; the record is retried by the next run.
                _logger.exception("QMS deadline alerts failed for %s", record)
                failed.append(record.id)
        remaining = self.search_count(domain + [("id", "not in", failed)])
        self.env["ir.cron"]._notify_progress(done=len(records) - len(failed), remaining=remaining)
        return records

    def _qms_lock_for_update(self):
        if not self:
            return self
        self.env.cr.execute(
            f'SELECT id FROM "{self._table}" WHERE id IN %s FOR UPDATE SKIP LOCKED',  # noqa: S608
            [tuple(self.ids)],
        )
        locked = {row[0] for row in self.env.cr.fetchall()}
        return self.filtered(lambda r: r.id in locked)

    def _qms_process_alerts(self, now):
        """Remind or escalate every deadline of this record that needs it, in one go."""
        self.ensure_one()
        log = dict(self.qms_alert_log or {})
        activity_vals, escalated = [], []
        for spec, deadline, due_soon in self._qms_open_deadlines():
            stamp = fields.Datetime.to_string(deadline)
            entry = dict(log.get(spec.deadline, {}))
            if deadline <= now and entry.get("escalated") != stamp:
                users, escalation = self.company_id._qms_quality_managers(), True
                entry.update(reminded=stamp, escalated=stamp)
                escalated.append((spec, deadline, users))
            elif due_soon <= now and entry.get("reminded") != stamp:
                # Archived or missing responsible: the quality managers are reminded instead.
                users = (
                    self._qms_responsible(spec).filtered("active") or self.company_id._qms_quality_managers()
                )
                escalation = False
                entry.update(reminded=stamp)
            else:
                continue
            activity_vals += [
                (spec, self._qms_alert_vals(user, spec, deadline, escalation)) for user in users
            ]
            log[spec.deadline] = entry
        # Subscribe the assignees once: mail.activity.create would insert the same follower
        # twice when one user gets two activities on one record in a single call.
        assignees = self.env["res.users"].browse({vals["user_id"] for _spec, vals in activity_vals})
        self.message_subscribe(partner_ids=assignees.partner_id.ids)
        # One batched create; no "activity assigned" e-mail per alert: the activity shows in the
        # user's systray and the quality managers get the overdue report by e-mail.
        activities = (
            self.env["mail.activity"]
            .with_context(mail_activity_quick_update=True)
            .create([vals for _spec, vals in activity_vals])
        )
        for (spec, _vals), activity in zip(activity_vals, activities, strict=True):
            entry = log[spec.deadline]
            entry["activity_ids"] = entry.get("activity_ids", []) + [activity.id]
        if escalated:
            self._qms_post_escalation_note(escalated)
        self.qms_alert_log = log

    def _qms_alert_vals(self, user, spec, deadline, escalation):
        """Values of a reminder/escalation activity for ``user``, worded in the user's language."""
        record = self.with_context(lang=user.lang or self.env.lang)
        env, label = record.env, record._qms_deadline_label(spec)
        values = {
            "deadline": label,
            "document": record.display_name,
            "date": format_datetime(env, deadline, tz=user.tz),
        }
        if escalation:
            xmlid = "qms_customer.mail_activity_qms_deadline_escalation"
            summary = env._("Overdue: %(deadline)s", deadline=label)
            note = env._("%(deadline)s of %(document)s was due on %(date)s and is not met.", **values)
            date_deadline = self._qms_local_date(fields.Datetime.now(), user)
        else:
            xmlid = "qms_customer.mail_activity_qms_deadline_reminder"
            summary = env._("Due soon: %(deadline)s", deadline=label)
            note = env._("%(deadline)s of %(document)s is due on %(date)s.", **values)
            date_deadline = self._qms_local_date(deadline, user)
        return {
            "res_model_id": self.env["ir.model"]._get_id(self._name),
            "res_id": self.id,
            "activity_type_id": self.env.ref(xmlid).id,
            "summary": summary,
            "note": note,
            "date_deadline": date_deadline,
            "user_id": user.id,
        }

    def _qms_post_escalation_note(self, escalated):
        """One chatter note for the deadlines escalated now, in the company's language."""
        record = self.with_context(lang=self.company_id.partner_id.lang or self.env.lang)
        env, tz = record.env, self.company_id.resource_calendar_id.tz
        lines = Markup("").join(
            Markup("<li>%s</li>")
            % env._(
                "%(deadline)s was due on %(date)s. Escalated to %(managers)s.",
                deadline=record._qms_deadline_label(spec),
                date=format_datetime(env, deadline, tz=tz),
                managers=", ".join(users.mapped("name")) or env._("nobody (no quality manager)"),
            )
            for spec, deadline, users in escalated
        )
        record.message_post(
            body=Markup("<p><strong>%s</strong></p><ul>%s</ul>") % (env._("Overdue"), lines),
            subtype_xmlid="mail.mt_note",
        )

    def _qms_deadline_label(self, spec):
        return self._fields[spec.deadline]._description_string(self.env)

    def _qms_responsible(self, spec):
        user = self[spec.responsible] if spec.responsible else self.env["res.users"]
        return user or self.user_id

    def _qms_local_date(self, value, user):
        tz = pytz.timezone(user.tz or self.company_id.resource_calendar_id.tz or "UTC")
        return pytz.utc.localize(value).astimezone(tz).date()

    # --------------------------------------------------------------- overdue report hook
    @api.model
    def _qms_overdue_models(self):
        """Every concrete model using this mixin: each family adds its rows to the report."""
        names = []
        todo = list(self.env.registry["qms.deadline.mixin"]._inherit_children)
        while todo:
            name = todo.pop(0)
            if name in names:
                continue
            model = self.env.registry[name]
            if not model._abstract and not model._transient:
                names.append(name)
            todo += list(model._inherit_children)
        return names

    @api.model
    def _qms_overdue_rows(self, company, now):
        """Rows of the overdue report for this model in ``company``."""
        records = self.search(
            [("qms_next_deadline", "<", now), ("company_id", "=", company.id)],
            order="qms_next_deadline",
        )
        rows = []
        for record in records:
            for spec, deadline, _due in record._qms_open_deadlines():
                if deadline < now:
                    rows.append(record._qms_overdue_row(spec, deadline, now))
        return rows

    def _qms_overdue_row(self, spec, deadline, now):
        responsible = self._qms_responsible(spec)
        states = dict(self._fields["state"]._description_selection(self.env))
        return {
            "family": self.env["ir.model"]._get(self._name).display_name,
            "reference": self.display_name,
            "customer": self.partner_id.display_name or "",
            "deadline_name": self._qms_deadline_label(spec),
            "deadline": deadline,
            "days_overdue": round((now - deadline) / timedelta(days=1), 1),
            "responsible": responsible.name or "",
            "state": states.get(self.state, self.state),
        }
