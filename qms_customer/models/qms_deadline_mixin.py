import functools
import logging
from collections import namedtuple
from datetime import datetime, time, timedelta

import babel.dates
import pytz
from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.osv import expression
from odoo.tools.misc import babel_locale_parse

from ..tools import deadline as dl

_logger = logging.getLogger(__name__)


END_OF_DAY = time(23, 59, 59)


@functools.lru_cache(maxsize=32)
def _babel_locale(lang):
    return babel_locale_parse(lang)


def format_moment(env, value, tz):
    """``format_datetime(env, value, tz=tz)`` with the locale parsed once per language: the cron
    formats every deadline of every alert, and Odoo's helper parses the locale each time."""
    moment = pytz.utc.localize(value).astimezone(pytz.timezone(tz or env.user.tz or "UTC"))
    locale = _babel_locale(env.lang or "en_US")
    if moment.time().replace(microsecond=0) in (time.min, END_OF_DAY):
        # A deadline on a day (an expiry, a half-year's end): the day, not "00:00:00" or "23:59:59".
        return babel.dates.format_date(moment, "medium", locale=locale)
    return "{} {}".format(
        babel.dates.format_date(moment, "medium", locale=locale),
        babel.dates.format_time(moment, "short", locale=locale),
    )


# One watched deadline of a document: its stored deadline, the timestamp that meets it (None for a
# recurring deadline, met by moving it: next verification, next maintenance), the event the window
# starts from (for "due soon"), who is reminded, and optionally ``notice``: a company field giving
# a fixed number of days the deadline is due soon before it (a 30-day expiry notice), instead of
# the company's share of the window.
DeadlineSpec = namedtuple("DeadlineSpec", "deadline done start responsible notice", defaults=(None,))

DEADLINE_STATES = [
    ("on_time", "On Time"),
    ("due_soon", "Due Soon"),
    ("overdue", "Overdue"),
    ("done", "Done"),
]


class QmsDeadlineMixin(models.AbstractModel):
    """Deadline engine shared by every QMS family.

    Each class of a model lists its own deadlines in ``_qms_deadline_specs`` (an extension in
    another file or addon adds its own, gathered along the class hierarchy by ``_qms_specs()``).
    The fields the engine reads of a document go through overridable hooks (``_qms_owner``,
    ``_qms_customer``, ``_qms_company``, ``_qms_is_closed``), so a family without a salesperson,
    customer or state still works. The mixin keeps three indexed,
    stored summaries (next deadline, next due-soon moment, next alert) so that views, filters and
    the scheduled action read stored columns only; ``qms_alert_log`` remembers which deadline
    value was already reminded / escalated, so every alert happens once per deadline.
    """

    _name = "qms.deadline.mixin"
    # Alerts are activities and chatter notes: the engine needs both mixins of mail.
    _inherit = ["qms.workflow.mixin", "mail.thread", "mail.activity.mixin"]
    _description = "QMS Deadline Tracking"

    _qms_deadline_specs = ()
    _qms_closed_states = ("closed", "cancelled")
    _qms_cron_batch = 200
    # The engine's bookkeeping is its own: a forged log would silence or redirect it.
    _qms_workflow_fields = ("qms_alert_log",)

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
    qms_deadline_state = fields.Selection(
        DEADLINE_STATES[:3],
        string="Deadline Status",
        compute="_compute_qms_deadline_state",
        search="_search_qms_deadline_state",
        help="Overdue: a deadline has passed; due soon: less than the due-soon share of a " "window is left.",
    )
    qms_due_today = fields.Boolean(
        string="Due Today",
        compute="_compute_qms_deadline_state",
        search="_search_qms_due_today",
        help="The next deadline falls before the end of the user's day: today's work, late items included.",
    )

    # ---------------------------------------------------------------- declarations and hooks
    @api.model
    def _qms_specs(self):
        """Every deadline of this model, in declaration order: the ``_qms_deadline_specs`` of each
        class along the hierarchy, so that two extensions both add theirs. Kept per class (the
        cron reads it per record) until an installed module changes the hierarchy."""
        cls = type(self)
        cached = cls.__dict__.get("_qms_specs_cache")
        if cached is None or cached[0] is not cls.__mro__:
            specs = []
            for klass in reversed(cls.__mro__):
                for spec in klass.__dict__.get("_qms_deadline_specs", ()):
                    if spec not in specs:
                        specs.append(spec)
            cached = (cls.__mro__, tuple(specs))
            cls._qms_specs_cache = cached
        return cached[1]

    def _qms_is_closed(self):
        """A closed document chases no deadline: ``state`` in ``_qms_closed_states``."""
        return "state" in self._fields and self.state in self._qms_closed_states

    @api.model
    def _qms_company_domain(self, company):
        return [("company_id", "=", company.id)] if "company_id" in self._fields else []

    # ---------------------------------------------------------------- summaries
    def _qms_deadline_depends(self):
        names = ["qms_alert_log"]
        if "state" in self._fields:
            names.append("state")
        if "company_id" in self._fields:
            names.append("company_id.qms_due_soon_percent")
        for spec in self._qms_specs():
            names += [name for name in (spec.deadline, spec.done, spec.start) if name]
            if spec.notice and "company_id" in self._fields:
                names.append(f"company_id.{spec.notice}")
        return names

    def _qms_due_soon_share(self):
        return (self._qms_company().qms_due_soon_percent or 0.0) / 100.0

    def _qms_met(self, spec):
        """Whether ``spec`` is met: its done field is set (a recurring deadline never is)."""
        return bool(spec.done and self[spec.done])

    def _qms_due_soon_moment(self, spec, deadline, share):
        """When ``deadline`` becomes due soon: its notice period before it, if the spec has one,
        else when ``share`` of the window from its start event is left."""
        if spec.notice:
            return dl.due_soon_before(deadline, self._qms_company()[spec.notice])
        return dl.due_soon_at(self[spec.start] if spec.start else None, deadline, share)

    def _qms_open_deadlines(self):
        """[(spec, deadline, due_soon_at)] of this record's deadlines that are set and not met."""
        self.ensure_one()
        if self._qms_is_closed():
            return []
        share = self._qms_due_soon_share()
        result = []
        for spec in self._qms_specs():
            deadline = self[spec.deadline]
            if deadline and not self._qms_met(spec):
                result.append((spec, deadline, self._qms_due_soon_moment(spec, deadline, share)))
        return result

    def _qms_deadline_statuses(self, now):
        """{spec: on_time/due_soon/overdue/done, or False when unset or no longer chased}."""
        self.ensure_one()
        share = self._qms_due_soon_share()
        closed = self._qms_is_closed()
        statuses = {}
        for spec in self._qms_specs():
            deadline, done = self[spec.deadline], self._qms_met(spec)
            if not deadline or (closed and not done):
                statuses[spec] = False
                continue
            due_soon = self._qms_due_soon_moment(spec, deadline, share)
            statuses[spec] = dl.deadline_state(now, deadline, done, due_soon)
        return statuses

    def _compute_qms_deadline_statuses(self):
        """The compute of every per-deadline status field a family declares: ``<x>_status`` for
        the deadline ``<x>_deadline`` (``<field>_status`` for any other name), a DEADLINE_STATES
        selection the form colours."""
        now = fields.Datetime.now()
        for record in self:
            for spec, status in record._qms_deadline_statuses(now).items():
                name = spec.deadline.removesuffix("_deadline") + "_status"
                if name in record._fields:
                    record[name] = status

    @api.depends(lambda self: ["qms_deadline_state"] + (["state"] if "state" in self._fields else []))
    def _compute_qms_color(self):
        """A kanban ``color`` from the next deadline: red when overdue, orange when due soon, none
        once the document is closed."""
        colors = {"overdue": 1, "due_soon": 2}
        for record in self:
            record.color = 0 if record._qms_is_closed() else colors.get(record.qms_deadline_state, 0)

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
    def _compute_qms_deadline_state(self):
        now = fields.Datetime.now()
        today_end = self._qms_user_day_end()
        for record in self:
            record.qms_deadline_state = dl.deadline_state(
                now, record.qms_next_deadline, False, record.qms_next_due_soon
            )
            record.qms_due_today = bool(record.qms_next_deadline and record.qms_next_deadline <= today_end)

    def _search_qms_deadline_state(self, operator, value):
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
        result = super().write(vals)
        met = any(spec.done and vals.get(spec.done) for spec in self._qms_specs())
        if met or ("state" in self._fields and vals.get("state") in self._qms_closed_states):
            self._qms_sync_alert_activities(feedback=self.env._("Deadline met."))
        return result

    # --------------------------------------------------------------- scheduled action
    @api.model
    def _qms_cron_deadlines(self):
        """Remind before and escalate after every deadline of this model, once per deadline.

        Selects only rows whose stored next alert is due (indexed), one batch per call, locks
        them so a second cron worker skips them, and processes the batch set-wise; when the batch
        fails, each record is retried alone so that one bad record fails alone.
        """
        now = fields.Datetime.now()
        domain = [("qms_next_alert", "<=", now)]
        records = self.search(domain, order="qms_next_alert, id", limit=self._qms_cron_batch)
        if not records:  # the usual case, every 15 minutes: one indexed query
            self.env["ir.cron"]._notify_progress(done=0, remaining=0)
            return records
        records = records._qms_lock_for_update()
        failed = []
        try:
            with self.env.cr.savepoint():
                records._qms_process_alerts(now)
        except Exception:
            _logger.warning("QMS deadline alerts failed for a batch of %s; retried one by one", self._name)
            for record in records:
                try:
                    with self.env.cr.savepoint():
                        record._qms_process_alerts(now)
                except Exception:
                    # Logged with its traceback; the record is retried by the next run.
                    _logger.exception("QMS deadline alerts failed for %s", record)
                    failed.append(record.id)
        remaining = self.search_count(domain + [("id", "not in", failed)], limit=self._qms_cron_batch)
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
        """Mark the deadlines of these records that need a reminder or an escalation now (once per
        deadline value), then bring their alert activities in line, for the whole set at once."""
        logs, escalated = {}, {}
        for record in self:
            log = dict(record.qms_alert_log or {})
            for spec, deadline, due_soon in record._qms_open_deadlines():
                stamp = fields.Datetime.to_string(deadline)
                entry = dict(log.get(spec.deadline, {}))
                if deadline <= now and entry.get("escalated") != stamp:
                    entry.update(reminded=stamp, escalated=stamp)
                    escalated.setdefault(record, []).append((spec, deadline))
                elif due_soon <= now and entry.get("reminded") != stamp:
                    entry.update(reminded=stamp)
                else:
                    continue
                log[spec.deadline] = entry
            logs[record.id] = log
        self._qms_sync_alert_activities(logs=logs, now=now)
        if escalated:
            self._qms_post_escalation_notes(escalated)

    # --------------------------------------------------------------- alert activities
    # One open reminder per responsible person and one open escalation per quality manager and
    # record; each lists every deadline it chases. The log keeps them under this key:
    # {"reminder"|"escalation": {"<user id>": {"id": activity id, "lists": ["<field>@<deadline>"]}}}
    _QMS_ACTIVITY_KEY = "__activities__"
    _QMS_ALERT_TYPES = {
        "reminder": "qms_customer.mail_activity_qms_deadline_reminder",
        "escalation": "qms_customer.mail_activity_qms_deadline_escalation",
    }

    def _qms_alert_items(self, log, managers=None):
        """{(kind, user): [(spec, deadline)]}: what this record's alert activities must list."""
        self.ensure_one()
        items = {}
        for spec, deadline, _due in self._qms_open_deadlines():
            entry = log.get(spec.deadline, {})
            stamp = fields.Datetime.to_string(deadline)
            if entry.get("reminded") == stamp:
                responsible = self._qms_responsible(spec).filtered("active")
                managers = self._qms_escalation_users() if managers is None and not responsible else managers
                for user in responsible or managers:
                    items.setdefault(("reminder", user), []).append((spec, deadline))
            if entry.get("escalated") == stamp:
                managers = self._qms_escalation_users() if managers is None else managers
                for user in managers:
                    items.setdefault(("escalation", user), []).append((spec, deadline))
        return items

    def _qms_escalation_users(self):
        return self._qms_company()._qms_quality_managers()

    def _qms_sync_alert_activities(self, logs=None, now=None, feedback=None):
        """Create, update or mark done the alert activities of these records so that each lists
        exactly the deadlines still chased for its person, in a few queries for the whole set.
        Activities are only ever looked up on the records themselves and of the engine's own
        types, whatever a log says."""
        logs = logs or {}
        now = now or fields.Datetime.now()
        logs = {r.id: dict(logs.get(r.id, r.qms_alert_log or {})) for r in self}
        type_ids = {
            kind: self.env["ir.model.data"]._xmlid_to_res_id(x) for kind, x in self._QMS_ALERT_TYPES.items()
        }
        managers, words = {}, {}  # per company / per language: looked up once per batch
        known_ids = [
            entry.get("id")
            for log in logs.values()
            for users in (log.get(self._QMS_ACTIVITY_KEY) or {}).values()
            for entry in users.values()
        ]
        current = self.env["mail.activity"].sudo()
        if known_ids:
            current = current.search(
                [
                    ("id", "in", [i for i in known_ids if isinstance(i, int)]),
                    ("res_model", "=", self._name),
                    ("res_id", "in", self.ids),
                    ("activity_type_id", "in", list(type_ids.values())),
                ]
            )
        by_id = {a.id: a for a in current}
        to_close, to_create, changed = current.browse(), {kind: [] for kind in type_ids}, {}
        for record in self:
            log = logs[record.id]
            known = log.get(self._QMS_ACTIVITY_KEY) or {}
            company = record._qms_company()
            if company not in managers:
                managers[company] = record._qms_escalation_users()
            items = record._qms_alert_items(log, managers[company])
            if not known and not items:
                if log != (record.qms_alert_log or {}):
                    changed[record] = log
                continue
            existing = {}
            for kind, users in known.items():
                for uid, entry in users.items():
                    activity = by_id.get(entry.get("id"))
                    if activity and activity.res_id == record.id and kind in type_ids:
                        existing[(kind, int(uid))] = (activity, entry.get("lists", []))
            new_known = {}
            for (kind, user), entries in sorted(items.items(), key=lambda i: (i[0][0], i[0][1].id)):
                entries.sort(key=lambda e: e[1])
                lists = [f"{spec.deadline}@{fields.Datetime.to_string(d)}" for spec, d in entries]
                activity, listed = existing.pop((kind, user.id), (None, None))
                if activity:
                    if listed != lists:
                        vals = record._qms_alert_vals(user, kind, entries, now, words)
                        if kind == "escalation":
                            vals.pop("date_deadline")  # escalated on that day, whatever comes later
                        activity.write(
                            {k: vals[k] for k in ("summary", "note", "date_deadline") if k in vals}
                        )
                    new_known.setdefault(kind, {})[str(user.id)] = {"id": activity.id, "lists": lists}
                else:
                    vals = record._qms_alert_vals(user, kind, entries, now, words)
                    to_create[kind].append((record, kind, user, lists, vals))
            to_close |= current.browse([activity.id for activity, _lists in existing.values()])
            log[self._QMS_ACTIVITY_KEY] = new_known
            changed[record] = log
        if to_close:
            to_close.action_feedback(feedback=feedback or self.env._("No deadline left to chase."))
        # One create per kind: within one create a person has at most one activity per record, so
        # Odoo's own follower subscription never inserts the same follower twice.
        for pending in to_create.values():
            if not pending:
                continue
            created = self._qms_system_activities([vals for *_rest, vals in pending])
            for (record, kind, user, lists, _vals), activity in zip(pending, created, strict=True):
                changed[record][self._QMS_ACTIVITY_KEY].setdefault(kind, {})[str(user.id)] = {
                    "id": activity.id,
                    "lists": lists,
                }
        # The engine's own bookkeeping: no tracking, no workflow hooks of a user's write.
        for record, log in changed.items():
            record.sudo().with_context(tracking_disable=True).qms_alert_log = log

    def _qms_alert_vals(self, user, kind, entries, now, cache=None):
        """One reminder / escalation activity for ``user`` listing ``entries``, in the user's
        language. ``cache`` keeps the translated labels and sentences of a batch."""
        cache = {} if cache is None else cache
        lang = user.lang or self.env.lang
        if lang not in cache:
            env = self.with_context(lang=lang).env
            cache[lang] = {
                "env": env,
                "labels": {spec: self.with_env(env)._qms_deadline_label(spec) for spec in self._qms_specs()},
                "late": env._("%(deadline)s of %(document)s was due on %(date)s and is not met."),
                "due": env._("%(deadline)s of %(document)s is due on %(date)s."),
                "escalation": env._("Overdue: %(deadline)s"),
                "reminder": env._("Due soon: %(deadline)s"),
                "model_id": self.env["ir.model"]._get_id(self._name),
                "types": {
                    k: self.env["ir.model.data"]._xmlid_to_res_id(x) for k, x in self._QMS_ALERT_TYPES.items()
                },
            }
        words = cache[lang]
        document = self.with_env(words["env"]).display_name
        labels = [words["labels"][spec] for spec, _deadline in entries]
        lines = [
            words["late" if deadline <= now else "due"]
            % {
                "deadline": label,
                "document": document,
                "date": format_moment(words["env"], deadline, user.tz),
            }
            for (_spec, deadline), label in zip(entries, labels, strict=True)
        ]
        moment = now if kind == "escalation" else entries[0][1]
        return {
            "res_model_id": words["model_id"],
            "res_id": self.id,
            "activity_type_id": words["types"][kind],
            "summary": words[kind] % {"deadline": ", ".join(labels)},
            "note": Markup("<ul>%s</ul>") % Markup("").join(Markup("<li>%s</li>") % line for line in lines),
            "date_deadline": self._qms_local_date(moment, user),
            "user_id": user.id,
        }

    def _qms_post_escalation_notes(self, escalated):
        """One chatter note per record for the deadlines escalated now, in its company's language,
        by the system, logged in one batch (a note notifies nobody)."""
        root = self.env.ref("base.partner_root")
        by_lang, managers_of = {}, {}
        for record, entries in escalated.items():
            by_lang.setdefault(record._qms_company().partner_id.lang or self.env.lang, []).append(
                (record, entries)
            )
        for lang, pairs in by_lang.items():
            bodies = {}
            for record, entries in pairs:
                local = record.with_context(lang=lang)
                company = record._qms_company()
                env, tz = local.env, company.resource_calendar_id.tz
                if company not in managers_of:
                    managers_of[company] = record._qms_escalation_users()
                managers = managers_of[company]
                lines = Markup("").join(
                    Markup("<li>%s</li>")
                    % env._(
                        "%(deadline)s was due on %(date)s. Escalated to %(managers)s.",
                        deadline=local._qms_deadline_label(spec),
                        date=format_moment(env, deadline, tz),
                        managers=", ".join(managers.mapped("name")) or env._("nobody (no quality manager)"),
                    )
                    for spec, deadline in entries
                )
                bodies[record.id] = Markup("<p><strong>%s</strong></p><ul>%s</ul>") % (
                    env._("Overdue"),
                    lines,
                )
            self.browse(bodies).sudo()._message_log_batch(
                bodies, author_id=root.id, email_from=root.email_formatted, message_type="notification"
            )

    def _qms_deadline_label(self, spec):
        return self._fields[spec.deadline]._description_string(self.env)

    def _qms_responsible(self, spec):
        user = self[spec.responsible] if spec.responsible else self.env["res.users"]
        return user or self._qms_owner()

    def _qms_local_date(self, value, user):
        tz = pytz.timezone(user.tz or self._qms_company().resource_calendar_id.tz or "UTC")
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
            [("qms_next_deadline", "<", now)] + self._qms_company_domain(company), order="qms_next_deadline"
        )
        shared = self._qms_overdue_shared()
        rows = []
        for record in records:
            for spec, deadline, _due in record._qms_open_deadlines():
                if deadline < now:
                    rows.append(record._qms_overdue_row(spec, deadline, now, shared))
        return rows

    @api.model
    def _qms_overdue_shared(self):
        """What every overdue row of this model shares, looked up once (100 000 rows are reported)."""
        return {
            "family": self.env["ir.model"]._get(self._name).display_name,
            "states": dict(self._fields["state"]._description_selection(self.env))
            if "state" in self._fields
            else {},
            "labels": {spec: self._qms_deadline_label(spec) for spec in self._qms_specs()},
        }

    def _qms_overdue_row(self, spec, deadline, now, shared=None):
        shared = shared or self._qms_overdue_shared()
        responsible = self._qms_responsible(spec)
        return {
            "family": shared["family"],
            "reference": self.display_name,
            "customer": self._qms_customer().display_name or "",
            "deadline_name": shared["labels"][spec],
            "deadline": deadline,
            "days_overdue": round((now - deadline) / timedelta(days=1), 1),
            "responsible": responsible.name or "",
            "state": shared["states"].get(self.state, self.state) if "state" in self._fields else "",
        }
