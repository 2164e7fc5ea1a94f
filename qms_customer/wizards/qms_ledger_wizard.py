from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import split_every

from ..tools.download import store_file
from ..tools.xlsx import Column, XlsxBuilder, resolve

# The kind a column declared by field path takes from the field when it names none.
FIELD_KINDS = {
    "date": "date",
    "datetime": "datetime",
    "integer": "integer",
    "float": "number",
    "monetary": "money",
    "boolean": "yes_no",
    "text": "wrap",
    "html": "wrap",
}


class QmsLedgerWizard(models.AbstractModel):
    """What every ledger shares: the period, company and customer filters, the set-based fetch,
    the workbook (tools/xlsx.py) and its download. A family declares the model it lists, the date
    its period filters on and its columns (README, "Building a new family")::

        class QmsReturnLedgerWizard(models.TransientModel):
            _name = "qms.return.ledger.wizard"
            _inherit = ["qms.ledger.wizard"]
            _description = "Return Ledger"
            _qms_ledger_model = "qms.return.request"
            _qms_ledger_date_field = "date_requested"

            def _qms_ledger_columns(self):
                return [Column("name", width=16), Column("partner_id", width=28), Column("state")]

    Like every transient model it also needs its access rights and an ``ir.rule`` on
    ``create_uid``: Odoo 18 has no implicit owner rule, and a download is its author's.
    """

    _name = "qms.ledger.wizard"
    _description = "QMS Ledger Export"

    _qms_ledger_model = None  # the model listed
    _qms_ledger_date_field = None  # the Date or Datetime field the period filters on
    _qms_ledger_order = None  # default: the date field, then id
    _qms_ledger_chunk = 1000  # records in memory at once

    company_id = fields.Many2one("res.company", required=True, default=lambda s: s.env.company)
    date_from = fields.Date(string="From", required=True, default=lambda s: s._default_date_from())
    date_to = fields.Date(string="To", required=True, default=lambda s: s._default_date_to())
    # Filters the listed model's partner_id, when it has one.
    partner_ids = fields.Many2many(
        "res.partner",
        string="Customers",
        domain="[('parent_id', '=', False)]",
        help="Only the records of these customers; leave empty for every customer.",
    )
    file_data = fields.Binary(string="File", readonly=True, attachment=True)
    file_name = fields.Char(readonly=True)
    row_count = fields.Integer(string="Rows Exported", readonly=True)

    # ------------------------------------------------------------------ declarations
    def _qms_ledger_columns(self):
        """The columns of the ledger sheet: :class:`~..tools.xlsx.Column` by field path (label,
        kind, selection labels and display names come from the fields) or by function."""
        raise NotImplementedError(f"{self._name} declares no ledger columns")

    def _qms_ledger_fields(self):
        """Fields that column functions read, fetched with the chunk (field paths are already)."""
        return []

    # ------------------------------------------------------------------ defaults
    def _default_date_to(self):
        return self.env.company._qms_local_today()

    def _default_date_from(self):
        return self._default_date_to().replace(month=1, day=1)

    # ------------------------------------------------------------------ action
    def action_generate(self):
        self.ensure_one()
        if self.date_from > self.date_to:
            raise UserError(self.env._("The start of the period must not be after its end."))
        wizard = self.with_company(self.company_id)
        data, count = wizard._qms_ledger_build()
        self.write({"file_name": wizard._qms_ledger_filename(), "row_count": count})
        return {
            "type": "ir.actions.act_url",
            "url": store_file(self, "file_data", data, self.file_name),
            "target": "self",
            "name": self._qms_ledger_name(),
        }

    # ------------------------------------------------------------------ names
    def _qms_ledger_name(self):
        """The ledger's name: the wizard's description, in the user's language."""
        return self.env["ir.model"]._get(self._name).display_name

    def _qms_ledger_filename(self):
        return self.env._(
            "%(ledger)s %(company)s %(date_from)s %(date_to)s.xlsx",
            ledger=self._qms_ledger_name(),
            company=self.company_id.name,
            date_from=self.date_from,
            date_to=self.date_to,
        )

    def _qms_ledger_title(self):
        return self.env._(
            "%(ledger)s of %(company)s", ledger=self._qms_ledger_name(), company=self.company_id.name
        )

    def _qms_ledger_filters(self):
        return self.env._(
            "From %(date_from)s to %(date_to)s",
            date_from=fields.Date.to_string(self.date_from),
            date_to=fields.Date.to_string(self.date_to),
        )

    def _qms_ledger_sheet_name(self):
        return self.env["ir.model"]._get(self._qms_ledger_model).display_name

    def _qms_ledger_tz(self):
        """The zone of the period and of the datetimes shown: the company's working time."""
        return self.company_id._qms_tz()

    # ------------------------------------------------------------------ data
    def _qms_ledger_domain(self):
        """The company, the period in the company's zone and the customers, as far as the
        listed model has a company, a date and a customer."""
        model = self.env[self._qms_ledger_model]
        company, date_field = self.company_id, self._qms_ledger_date_field
        domain = [("company_id", "=", company.id)] if "company_id" in model._fields else []
        if model._fields[date_field].type == "datetime":
            domain += [
                (date_field, ">=", company._qms_local_to_utc(self.date_from)),
                (date_field, "<", company._qms_local_to_utc(self.date_to + timedelta(days=1))),
            ]
        else:
            domain += [(date_field, ">=", self.date_from), (date_field, "<=", self.date_to)]
        if self.partner_ids and "partner_id" in model._fields:
            domain.append(("partner_id", "in", self.partner_ids.commercial_partner_id.ids))
        return domain

    def _qms_ledger_chunks(self, columns):
        """The selection in chunks, each fetched with every column in one query per model; the
        cache is emptied between chunks, so 100 000 records cost the memory of one chunk."""
        model = self.env[self._qms_ledger_model].with_company(self.company_id)
        order = self._qms_ledger_order or f"{self._qms_ledger_date_field}, id"
        paths = [column.value for column in columns if isinstance(column.value, str)]
        names = list(dict.fromkeys(self._qms_ledger_fields() + [path.split(".")[0] for path in paths]))
        for chunk in split_every(
            self._qms_ledger_chunk, model.search(self._qms_ledger_domain(), order=order).ids
        ):
            records = model.browse(chunk)
            records.fetch([name for name in names if model._fields[name].store])
            for path in paths:
                self._qms_ledger_prefetch_path(records, path)
            yield records
            self.env.invalidate_all()

    @api.model
    def _qms_ledger_prefetch_path(self, records, path):
        """Read ``path`` for the whole chunk at once: each hop in one query, display names too."""
        for name in path.split("."):
            field = records._fields[name]
            values = records.mapped(name)
            if not field.relational:
                return
            records = values
        records.mapped("display_name")

    # ------------------------------------------------------------------ XLSX
    def _qms_ledger_build(self):
        """(xlsx bytes, row count) of the ledger of this selection."""
        self.ensure_one()
        builder = XlsxBuilder(
            tz=self._qms_ledger_tz(),
            money_digits=self.company_id.currency_id.decimal_places,
            yes_no=(self.env._("Yes"), self.env._("No")),
        )
        with builder:
            count = self._qms_ledger_write(builder)
            return builder.close(), count

    def _qms_ledger_write(self, builder):
        """Write the workbook, return the row count; extend to add sheets (the complaint's KPIs)."""
        columns = self._qms_ledger_xlsx_columns(self._qms_ledger_columns())
        records = (record for chunk in self._qms_ledger_chunks(columns) for record in chunk)
        return self._qms_ledger_sheet(builder, columns, records)

    def _qms_ledger_sheet(self, builder, columns, records):
        sheet = builder.add_sheet(self._qms_ledger_sheet_name())
        sheet.title(self._qms_ledger_title(), self._qms_ledger_filters())
        return sheet.table(columns, records)

    def _qms_ledger_xlsx_columns(self, columns):
        """The declared columns, those by field path given their field's label, kind and the
        words shown for it (a selection's label, a record's display name)."""
        model = self.env[self._qms_ledger_model]
        resolved = []
        for column in columns:
            if callable(column.value):
                resolved.append(column)
                continue
            field, owner = None, model
            for name in column.value.split("."):
                field = owner._fields[name]
                owner = self.env[field.comodel_name] if field.relational else owner
            resolved.append(
                Column(
                    self._qms_ledger_getter(column.value, field),
                    label=column.label or field._description_string(self.env),
                    kind=column.kind or FIELD_KINDS.get(field.type, "text"),
                    width=column.width,
                    digits=column.digits,
                    highlight=column.highlight,
                )
            )
        return resolved

    @api.model
    def _qms_ledger_getter(self, path, field):
        if field.type == "selection":
            labels = dict(field._description_selection(self.env))
            return lambda record: labels.get(resolve(record, path))
        if field.type == "many2one":
            return lambda record: resolve(record, path).display_name
        if field.type in ("one2many", "many2many"):
            return lambda record: ", ".join(resolve(record, path).mapped("display_name"))
        return lambda record: resolve(record, path)
