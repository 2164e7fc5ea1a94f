import contextlib
import contextvars
import logging
from dataclasses import dataclass

from markupsafe import Markup
from psycopg2 import sql

from odoo import SUPERUSER_ID, Command, api, fields, models
from odoo.exceptions import UserError
from odoo.osv import expression
from odoo.tools.translate import LazyGettext

_logger = logging.getLogger(__name__)

# The fields a workflow action is writing right now, as {(model, field)}. A context variable, not
# the ORM context: an RPC caller controls the context, never this variable.
_GRANTS = contextvars.ContextVar("qms_workflow_grants", default=frozenset())


def qms_is_default(model, name, value):
    """``value`` is what a new record of ``model`` gets anyway: the field's default, or empty
    without one (a form, an import, ``res.users`` through ``_inherits`` send them all)."""
    field = model._fields[name]
    if field.default is None:
        return not value
    default = field.convert_to_write(field.default(model), model)
    return value == default or (not value and not default)


def qms_changed_fields(records, vals):
    """The names of ``vals`` whose value differs from what one of ``records`` holds now: writing
    back the stored value (an import, an RPC client sending the whole record) is no edit. Read
    as the superuser: whether a field is guarded from this user is the caller's question."""
    changed = set()
    stored = records.sudo()
    for name, value in vals.items():
        field = records._fields.get(name)
        if field is None or not records:
            changed.add(name)
            continue
        if any(_differs(field, value, record) for record in stored):
            changed.add(name)
    return changed


def qms_changing(records, names, vals):
    """The fields among ``names`` that ``vals`` really changes on ``records``: what a lock of
    the workflow refuses (never the stored value written back)."""
    return qms_changed_fields(records, {name: vals[name] for name in set(names) & set(vals)})


def _differs(field, value, record):
    try:
        if field.type in ("one2many", "many2many"):
            commands = value if isinstance(value, list | tuple) else ()
            if any(
                isinstance(c, list | tuple) and c[0] in (Command.CREATE, Command.UPDATE, Command.DELETE)
                for c in commands
            ):
                return True
            return set(field.convert_to_cache(value, record)) != set(record[field.name]._ids)
        return field.convert_to_cache(value, record) != field.convert_to_cache(record[field.name], record)
    except (ValueError, TypeError):
        return True  # not a value of the field: the guard and the ORM say what is wrong


@dataclass(frozen=True)
class Transition:
    """A workflow button of a family: the states it starts from (empty: any state), the groups
    allowed to press it (empty: whoever may write the record) and the verb its refusal names
    ("confirm", "start the analysis of"), declared with ``_lt`` so each user reads their language.
    One declaration drives the button (``can_<name>``) and the server check (``_qms_ensure_can``)."""

    states: tuple = ()
    groups: tuple = ()
    verb: LazyGettext | str = ""


class QmsWorkflowMixin(models.AbstractModel):
    """Workflow integrity shared by every QMS family.

    A model declares which of its fields only its actions may write; ``create`` and ``write``
    refuse them from anybody else (form, import, RPC alike), after which the action that owns a
    field writes it through ``_qms_workflow_write`` once its own role and state checks passed.
    Each class declares only its own additions: the declarations are collected along the
    inheritance chain, so an extension (the 8D of a complaint) adds fields without repeating.
    """

    _name = "qms.workflow.mixin"
    _description = "QMS Workflow Integrity"

    # Written only by the actions that own them: state, event times that meet deadlines, who/when
    # of completions, signatures and verifications, bookkeeping. Stored computed and related
    # fields without an inverse are added automatically.
    _qms_workflow_fields = ()
    # Given when the record is created, never changed afterwards.
    _qms_fixed_fields = ("company_id",)
    # {(group xmlids, ...): fields only users of one of these groups may write}
    _qms_role_fields = {}
    # ir.attachment many2many fields whose uploads become the record's own attachments.
    _qms_file_fields = ()
    # Users of these groups (and no broader role) may only use customers they are salesperson of.
    _qms_own_customer_groups = ("qms_customer.group_qms_sales",)
    _qms_all_customer_groups = ("qms_customer.group_qms_quality",)
    # {name: Transition}: the workflow buttons. A Boolean field ``can_<name>`` computed by
    # ``_compute_qms_can`` tells the form whether the current user may press it now.
    _qms_transitions = {}
    # The ir.sequence code numbering the documents' ``name`` on create (None: the family names them).
    _qms_sequence_code = None
    # States a document ends in: a kanban grouped by ``state`` shows them only when records are in
    # them, and folded, so the open work fits the screen (``group_expand="_qms_group_expand_states"``).
    _qms_final_states = ("closed", "cancelled")

    # What a salesperson sees of a document, written once: every record rule of sales staff (the
    # family's and its child lines') is [('qms_sales_visible', '=', True)] on this field or on the
    # parent document's, and a family changes the scope by overriding ``_qms_sales_domain``.
    qms_sales_visible = fields.Boolean(
        string="In My Sales Scope",
        compute="_compute_qms_sales_visible",
        search="_search_qms_sales_visible",
        help="Documents I am responsible for, or of customers I am the salesperson of.",
    )

    # ------------------------------------------------------------------ kanban columns
    @api.model
    def _qms_group_expand_states(self, states, domain):
        """Every open state in workflow order, empty ones included; final states where present."""
        present = set(states)
        return [
            key
            for key, _label in self._fields["state"].selection
            if key not in self._qms_final_states or key in present
        ]

    @api.model
    def _web_read_group(self, domain, fields, groupby, limit=None, offset=0, orderby=False, lazy=True):
        groups = super()._web_read_group(domain, fields, groupby, limit, offset, orderby, lazy)
        if groupby and groupby[0] == "state" and "state" in self._fields:
            for group in groups:
                if group.get("state") in self._qms_final_states:
                    group["__fold"] = True
        return groups

    # ------------------------------------------------------------------ declarations
    @api.model
    def _qms_declared(self, attribute):
        """Union of a declaration over every class of this model (tuple or dict)."""
        merged = {} if isinstance(getattr(self, attribute), dict) else set()
        for cls in reversed(type(self).__mro__):
            value = cls.__dict__.get(attribute)
            if value is None:
                continue
            if isinstance(merged, dict):
                for groups, names in value.items():
                    merged[groups] = merged.get(groups, frozenset()) | set(names)
            else:
                merged |= set(value)
        return merged

    @api.model
    def _qms_protected_fields(self):
        """Fields that only an action may write, on create as on write."""
        return (self._qms_declared("_qms_workflow_fields") | self._qms_auto_protected()) & set(self._fields)

    @api.model
    def _qms_role_field_map(self):
        """{field: (group xmlids)} of the fields reserved to some roles."""
        result = {}
        for groups, names in self._qms_declared("_qms_role_fields").items():
            for name in names:
                result[name] = tuple(groups)
        return result

    # ------------------------------------------------------------------ document hooks
    def _qms_owner(self):
        """Who is reminded when a deadline names nobody: the document's ``user_id``, if it has one."""
        return self.user_id if "user_id" in self._fields else self.env["res.users"]

    def _qms_customer(self):
        """The customer the overdue report names: the document's ``partner_id``, if it has one."""
        return self.partner_id if "partner_id" in self._fields else self.env["res.partner"]

    def _qms_company(self):
        """The company whose settings and quality managers apply."""
        return self.company_id if "company_id" in self._fields else self.env.company

    # ------------------------------------------------------------------ sales scope
    @api.model
    def _qms_sales_domain(self):
        """The current user's documents as a salesperson: responsible (``user_id``) or salesperson of
        the customer (``partner_id.user_id``), for the fields the model has."""
        uid = self.env.uid
        parts = [
            [(name, "=", uid)]
            for name in ("user_id", "partner_id.user_id")
            if name.split(".")[0] in self._fields
        ]
        return expression.OR(parts) if parts else expression.FALSE_DOMAIN

    @api.depends_context("uid")
    def _compute_qms_sales_visible(self):
        visible = self.filtered_domain(self._qms_sales_domain())
        visible.qms_sales_visible = True
        (self - visible).qms_sales_visible = False

    def _search_qms_sales_visible(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Search “In My Sales Scope” with = or != and a yes/no value only."))
        domain = self._qms_sales_domain()
        return domain if (operator == "=") == value else ["!", *expression.normalize_domain(domain)]

    # ------------------------------------------------------------------ transitions
    @api.model
    def _qms_transition(self, name):
        """The declaration of transition ``name``; a later class along the hierarchy wins."""
        for cls in type(self).__mro__:
            transition = cls.__dict__.get("_qms_transitions", {}).get(name)
            if transition is not None:
                return transition
        raise KeyError(f"{self._name} declares no transition {name!r}")

    @api.model
    def _qms_transition_names(self):
        names = set()
        for cls in type(self).__mro__:
            names.update(cls.__dict__.get("_qms_transitions", {}))
        return names

    def _qms_may(self, name):
        """Whether the current user's role allows transition ``name``."""
        groups = self._qms_transition(name).groups
        return self.env.su or not groups or any(self.env.user.has_group(g) for g in groups)

    def _qms_state_allows(self, name):
        states = self._qms_transition(name).states
        return not states or "state" not in self._fields or self.state in states

    @api.depends(lambda self: ["state"] if "state" in self._fields else [])
    @api.depends_context("uid")
    def _compute_qms_can(self):
        for name in self._qms_transition_names():
            field = f"can_{name}"
            # A family may compute one of them itself (who decides a return's step): writing it
            # from here would be a write of the record, refused in a read-only request.
            if field not in self._fields or self._fields[field].compute != "_compute_qms_can":
                continue
            allowed = self._qms_may(name)
            for record in self:
                record[field] = allowed and record._qms_state_allows(name)

    def _qms_ensure_role(self, name):
        if not self._qms_may(name):
            transition = self._qms_transition(name)
            raise UserError(
                self.env._(
                    "You are not allowed to %(action)s %(document)s: %(roles)s only.",
                    action=self.env._(transition.verb),
                    document=self[:1].display_name or self.env["ir.model"]._get(self._name).display_name,
                    roles=self._qms_join(
                        sorted(self.env.ref(g).sudo().display_name for g in transition.groups)
                    ),
                )
            )

    def _qms_ensure_state(self, name):
        for record in self:
            if not record._qms_state_allows(name):
                states = dict(self._fields["state"]._description_selection(self.env))
                raise UserError(
                    self.env._(
                        "%(document)s is %(state)s: you cannot %(action)s it.",
                        document=record.display_name,
                        state=states[record.state],
                        action=self.env._(self._qms_transition(name).verb),
                    )
                )

    def _qms_ensure_can(self, name):
        """Refuse transition ``name`` to a user without its role, or from a state it does not
        start from: the same rule that hides its button."""
        self._qms_ensure_role(name)
        self._qms_ensure_state(name)

    # ------------------------------------------------------------------ the guard
    @contextlib.contextmanager
    def _qms_granted(self, names):
        token = _GRANTS.set(_GRANTS.get() | {(self._name, name) for name in names})
        try:
            yield
        finally:
            _GRANTS.reset(token)

    def _qms_workflow_write(self, vals):
        """Write fields owned by a workflow action, once that action checked role and state."""
        with self._qms_granted(vals):
            return self.write(vals)

    def _qms_workflow_write_many(self, vals_by_id):
        """Write values that differ per record, {id: {field: value}} with the same fields for every
        record, in one UPDATE instead of one write per record: what a scoring or a batch of
        follow-ups owns on thousands of records. Only for stored fields of the action that are not
        tracked and need no ``write`` override (the caller checked role and state, as for
        ``_qms_workflow_write``); the stored fields depending on them are recomputed."""
        if not vals_by_id:
            return
        names = list(next(iter(vals_by_id.values())))
        fields_ = [self._fields[name] for name in names]
        untracked = all(
            field.store and field.column_type and not getattr(field, "tracking", None) for field in fields_
        )
        if not untracked or set(names) - self._qms_protected_fields():
            raise ValueError(f"{self._name}: {names} are not untracked fields owned by the workflow")
        records = self.browse(vals_by_id)
        records.flush_recordset(names)
        uid, now = self.env.uid, self.env.cr.now()
        rows = [
            (record_id, uid, now, *(field.convert_to_column(vals[field.name], self) for field in fields_))
            for record_id, vals in vals_by_id.items()
        ]
        columns = [sql.Identifier(name) for name in names]
        self.env.cr.execute_values(
            sql.SQL(
                "UPDATE {table} AS t SET {assign}, write_uid = v.write_uid, write_date = v.write_date "
                "FROM (VALUES %s) AS v(id, write_uid, write_date, {columns}) WHERE t.id = v.id"
            ).format(
                table=sql.Identifier(self._table),
                assign=sql.SQL(", ").join(sql.SQL("{0} = v.{0}").format(column) for column in columns),
                columns=sql.SQL(", ").join(columns),
            ),
            rows,
            template="(%s, %s, %s::timestamp, "
            + ", ".join(f"%s::{field.column_type[1]}" for field in fields_)
            + ")",
            page_size=1000,
        )
        records.invalidate_recordset([*names, "write_uid", "write_date"])
        records.modified(names)

    def _qms_check_field_write(self, vals, creating=False):
        if self.env.su:
            return
        granted = {name for model, name in _GRANTS.get() if model == self._name}
        names = set(vals) - granted
        guarded = names & (
            self._qms_protected_fields()
            | self._qms_declared("_qms_fixed_fields")
            | set(self._qms_role_field_map())
        )
        if not creating:
            # Only a real change is an edit: the stored value written back is none.
            names -= guarded - qms_changed_fields(self, {name: vals[name] for name in guarded})
        refused = names & self._qms_protected_fields()
        if creating:
            # Creating "as it starts" is fine: empty or the field's own default.
            refused = {name for name in refused if not self._qms_is_initial(name, vals[name])}
        else:
            refused |= names & self._qms_declared("_qms_fixed_fields")
        if refused:
            self._qms_check_access_first(creating)
            raise UserError(
                self.env._(
                    "%(fields)s of %(model)s can only be changed by the workflow buttons, not edited "
                    "directly.",
                    fields=self._qms_labels(refused),
                    model=self.env["ir.model"]._get(self._name).display_name,
                )
            )
        user = self.env.user
        roles = self._qms_role_field_map()
        denied = {name for name in names if name in roles and not any(user.has_group(g) for g in roles[name])}
        if creating:
            # The form sends every field of a new record, empty ones included: only a value counts.
            denied = {name for name in denied if not self._qms_is_default(name, vals[name])}
        if denied:
            self._qms_check_access_first(creating)
            raise UserError(
                self.env._(
                    "You are not allowed to edit %(fields)s: %(roles)s only.",
                    fields=self._qms_labels(denied),
                    roles=self._qms_join(
                        sorted({self.env.ref(g).sudo().display_name for name in denied for g in roles[name]})
                    ),
                )
            )

    def _qms_check_access_first(self, creating):
        """Who may not write the record at all is told so (AccessError), not about one field."""
        (self.browse() if creating else self).check_access("create" if creating else "write")

    def _qms_check_new_files(self, vals):
        """Refuse, before anything is written, another user's pending upload in a file field."""
        ids = set()
        for name in self._qms_declared("_qms_file_fields") & set(vals):
            for command in vals[name] or ():
                if isinstance(command, int):
                    ids.add(command)
                elif command[0] == Command.LINK:
                    ids.add(command[1])
                elif command[0] == Command.SET:
                    ids.update(command[2])
        if not ids or self.env.su:
            return
        foreign = (
            self.env["ir.attachment"]
            .sudo()
            .browse(ids)
            .exists()
            .filtered(lambda a: not a.res_id and a.create_uid.id != self.env.uid)
        )
        if foreign:
            raise UserError(
                self.env._(
                    "%(files)s was uploaded by someone else and cannot be added here.",
                    files=", ".join(foreign.mapped("name")),
                )
            )

    def _qms_is_initial(self, name, value):
        field = self._fields[name]
        if name in self._qms_auto_protected():
            return False  # a computed value given at creation would never be computed
        if not value:
            return True
        return field.default is not None and value == field.convert_to_write(field.default(self), self)

    def _qms_is_default(self, name, value):
        """``value`` is what a new record gets anyway: the field's default, or empty without one."""
        if self._fields[name].compute:
            return False  # a value given overrides what would be computed
        return qms_is_default(self, name, value)

    @api.model
    def _qms_auto_protected(self):
        """Stored computed and related fields without an inverse: only the ORM writes them."""
        return {
            name
            for name, field in self._fields.items()
            if field.store
            and field.readonly
            and (field.compute or field.related)
            and not field.inverse
            and name not in models.MAGIC_COLUMNS
        }

    def _qms_labels(self, names):
        return self._qms_join(sorted(self._fields[name]._description_string(self.env) for name in names))

    def _qms_join(self, items):
        """A list in a sentence: Chinese separates its items with "、" (a term of punctuation
        only is not exported for translation)."""
        return ("、" if (self.env.lang or "").startswith("zh") else ", ").join(items)

    def _qms_check_customer(self, vals):
        """Sales staff may only put records on customers they are the salesperson of."""
        partner_id = vals.get("partner_id")
        if not partner_id or self.env.su:
            return
        user = self.env.user
        if any(user.has_group(g) for g in self._qms_all_customer_groups):
            return
        if not any(user.has_group(g) for g in self._qms_own_customer_groups):
            return
        partner = self.env["res.partner"].browse(partner_id).commercial_partner_id
        if partner.sudo().user_id != user:
            raise UserError(
                self.env._(
                    "%(customer)s is not one of your customers: ask its salesperson or quality to "
                    "register this.",
                    customer=partner.sudo().display_name,
                )
            )

    # ------------------------------------------------------------------ numbering
    @api.model
    def _qms_sequence(self, company):
        """The numbering of ``company``'s documents (``_qms_sequence_code``), as ``next_by_code``
        picks it: the company's own sequence, else a shared one."""
        sequences = self.env["ir.sequence"].with_company(company)
        sequences.browse().check_access("read")
        return sequences.search(
            [("code", "=", self._qms_sequence_code), ("company_id", "in", [company.id, False])],
            order="company_id",
            limit=1,
        )

    @api.model
    def _qms_number(self, vals_list):
        """A ``name`` left empty or "New" gets the next number; the sequence is looked up once per
        company for the batch (``next_by_code`` searches at every call)."""
        if not self._qms_sequence_code:
            return
        sequences, new = {}, self.env._("New")
        for vals in vals_list:
            if not vals.get("name") or vals["name"] in ("New", new):
                company = self.env["res.company"].browse(vals.get("company_id")) or self.env.company
                if company not in sequences:
                    sequences[company] = self._qms_sequence(company)
                vals["name"] = (sequences[company] and sequences[company]._next()) or new

    @api.model_create_multi
    def create(self, vals_list):
        self._qms_number(vals_list)
        defaults = {key[8:]: value for key, value in self.env.context.items() if key.startswith("default_")}
        for vals in vals_list:
            self._qms_check_field_write({**defaults, **vals}, creating=True)
            self._qms_check_customer(vals)
            self._qms_check_new_files(vals)
        records = super().create(vals_list)
        records._qms_claim_files()
        return records

    def write(self, vals):
        self._qms_check_field_write(vals)
        self._qms_check_customer(vals)
        self._qms_check_new_files(vals)
        result = super().write(vals)
        if self._qms_declared("_qms_file_fields") & set(vals):
            self._qms_claim_files()
        if not self.env.su and {"partner_id", "user_id"} & set(vals):
            # Access is checked before a write: make sure the record is not moved out of reach.
            self.check_access("write")
        return result

    # ------------------------------------------------------------------ uploaded files
    def _qms_claim_files(self):
        """Attach files uploaded into the file fields to the record, so every reader of the record
        may open them. Only the current user's own pending uploads can be claimed: ids are
        sequential, and another user's pending upload is theirs (as Odoo's composer checks)."""
        names = self._qms_declared("_qms_file_fields")
        if not names or not self:
            return
        for record in self:
            files = self.env["ir.attachment"].union(*(record[name] for name in names)).sudo()
            pending = files.filtered(
                lambda a: not a.res_id and (self.env.su or a.create_uid.id == self.env.uid)
            )
            pending.write({"res_model": self._name, "res_id": record.id})

    # ------------------------------------------------------------------ system messages
    def _message_compute_author(self, author_id=None, email_from=None, raise_on_email=True):
        """Users without an e-mail address (common on the shop floor) write from the company's
        address: Odoo would refuse every message and activity notification they cause."""
        author_id, email_from = super()._message_compute_author(author_id, email_from, raise_on_email=False)
        if not email_from:
            company = self[:1].company_id if "company_id" in self._fields else self.env.company
            email_from = (company or self.env.company).email_formatted
        if not email_from and raise_on_email and not self.env.su:
            raise UserError(
                self.env._(
                    "Neither you nor the company %s has an e-mail address to send this message from. "
                    "Enter the company's e-mail address (Settings › Companies).",
                    (self[:1].company_id if "company_id" in self._fields else self.env.company).display_name,
                )
            )
        return author_id, email_from

    def _qms_system_post(self, body, partner_ids=None, subtype_xmlid="mail.mt_note", attachment_ids=None):
        """A chatter message raised by the system: authored by OdooBot, so that it never depends on
        the e-mail address of whoever triggered it."""
        root = self.env.ref("base.partner_root")
        for record in self:
            record.sudo().message_post(
                body=body if isinstance(body, Markup) else Markup("<p>%s</p>") % body,
                author_id=root.id,
                email_from=root.email_formatted,
                partner_ids=partner_ids or [],
                subtype_xmlid=subtype_xmlid,
                attachment_ids=attachment_ids or [],
            )

    def _qms_send_to_management(self, report_xmlid, groups, files, body):
        """Send each record's report to the company's management (``groups``: the users of these
        groups in the record's company): the PDF of ``report_xmlid`` and the other files
        ``files(reader, pdf)`` returns as [(name, raw)] (the PDF among them), posted by the system
        with the message ``body(reader)``, in their Odoo inbox and by e-mail to those who have an
        address; in the company's language (a document of the company's management review).
        Returns the records sent (a company without such users gets nothing)."""
        report = self.env.ref(report_xmlid).sudo()
        sent = self.browse()
        for record in self:
            company = record._qms_company()
            managers = self.env["res.users"].union(*(company._qms_users_in(group) for group in groups))
            if not managers:
                _logger.info("%s %s: nobody to send it to", self._name, record.display_name)
                continue
            lang = company.partner_id.lang or managers[0].lang
            reader = record.with_context(lang=lang).sudo()
            pdf, _type = report.with_context(lang=lang)._render_qweb_pdf(report.report_name, record.ids)
            attachments = reader.env["ir.attachment"].create(
                [
                    {"name": name, "raw": raw, "res_model": record._name, "res_id": record.id}
                    for name, raw in files(reader, pdf)
                ]
            )
            # The system posts it: whoever pressed the button gets their copy too (Odoo spares the
            # user acting from their own notifications).
            record.with_context(mail_notify_author=True)._qms_system_post(
                body(reader), partner_ids=managers.partner_id.ids, attachment_ids=attachments.ids
            )
            sent |= record
        return sent

    def _notify_get_recipients(self, message, msg_vals, **kwargs):
        """Users without an e-mail address read their notifications in Odoo. Odoo's default
        preference is "by e-mail", whose notification is born read and whose mail reaches nobody:
        for them the notification goes to the inbox instead (one read for the whole message)."""
        recipients = super()._notify_get_recipients(message, msg_vals, **kwargs)
        by_email = [r["id"] for r in recipients if r.get("notif") == "email" and r.get("uid")]
        if by_email:
            partners = self.env["res.partner"].sudo().browse(by_email)
            without = set(partners.filtered(lambda p: not p.email_normalized).ids)
            for recipient in recipients:
                if recipient["id"] in without and recipient.get("notif") == "email":
                    recipient["notif"] = "inbox"
        return recipients

    def _qms_ensure_sender(self):
        """E-mail to a customer goes out from the user or, when the user has none, from the company:
        refuse before anything changes when neither has an address."""
        if self.env.user.email:
            return
        for record in self:
            company = record._qms_company()
            if not company.email:
                raise UserError(
                    self.env._(
                        "No sender address: %(company)s has no e-mail address and neither have you. Enter "
                        "the company's e-mail address (Settings › Companies) to send e-mails to customers.",
                        company=company.display_name,
                    )
                )

    def _qms_mail_customer(self, template):
        """Post ``template`` to the record's followers (the customer) as an e-mail: written by the
        user when the user has an address, else by the company."""
        self.ensure_one()
        user = self.env.user
        sender = user.partner_id if user.email else self._qms_company().partner_id
        return self.message_post_with_source(
            template,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
            author_id=sender.id,
            email_from=sender.email_formatted,
        )

    def _qms_reader(self, user):
        """This record as ``user`` reads what the system writes to them: their language and zone."""
        return self.with_context(lang=user.lang or self.env.lang, tz=user.tz or "UTC")

    def _qms_todo_vals(self, user, summary, date_deadline=None, note=None, activity_type=None, record=None):
        """A system to-do for ``user`` on this record (or on ``record``), due today in the user's
        zone unless ``date_deadline`` says otherwise; ``summary`` comes in the user's language."""
        self.ensure_one()
        record = record or self
        # The to-do type's id from the cached xmlid map (env.ref would query once per to-do).
        todo_type = self.env["ir.model.data"]._xmlid_to_res_id("mail.mail_activity_data_todo")
        return {
            "res_model_id": self.env["ir.model"]._get_id(record._name),
            "res_id": record.id,
            "activity_type_id": activity_type.id if activity_type else todo_type,
            "user_id": user.id,
            "summary": summary,
            "note": note,
            "date_deadline": date_deadline or fields.Date.context_today(self._qms_reader(user)),
        }

    def _qms_done_system_todos(self, feedback, users=None):
        """Mark done the system to-dos (``_qms_todo_vals``) of these records: their step is over.
        With ``users``, only theirs (a record may hold to-dos of different steps)."""
        todo = self.env.ref("mail.mail_activity_data_todo")
        root = self.env.ref("base.user_root")
        activities = self.sudo().activity_ids.filtered(
            lambda a: a.activity_type_id == todo
            and a.create_uid == root
            and (users is None or a.user_id in users)
        )
        if activities:
            activities.action_feedback(feedback=feedback)

    @api.model
    def _qms_system_activities(self, vals_list):
        """Activities raised by the system, created by OdooBot in one batch, without the
        "activity assigned" e-mail (the user sees them in the systray; reports go by e-mail)."""
        return (
            self.env["mail.activity"]
            .with_user(SUPERUSER_ID)
            .with_context(mail_activity_quick_update=True)
            .create(vals_list)
        )

    # ------------------------------------------------------------------ cancellation
    def action_open_cancel_wizard(self):
        """Ask for the reason, then cancel through the model's own ``action_cancel``."""
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Cancel %s", self.env["ir.model"]._get(self._name).display_name),
            "res_model": "qms.cancel.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"active_model": self._name, "active_ids": self.ids},
        }

    def action_cancel(self):
        """Cancel with the reason given in the wizard, where the model declares a ``cancel``
        transition, a ``cancelled`` state and a ``cancel_reason`` field."""
        self._qms_ensure_can("cancel")
        for record in self:
            record._qms_workflow_write({"state": "cancelled", "cancel_reason": record._qms_cancel_reason()})
        return True

    def _qms_cancel_reason(self, required=True):
        """The reason given in the cancel wizard (or already on the record)."""
        reason = (self.env.context.get("qms_cancel_reason") or "").strip()
        if not reason and "cancel_reason" in self._fields:
            reason = (self[:1].cancel_reason or "").strip()
        if not reason and required:
            raise UserError(self.env._("Give a reason to cancel %s.", self[:1].display_name))
        return reason
