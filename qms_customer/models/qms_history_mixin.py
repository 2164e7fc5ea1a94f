from odoo import api, models
from odoo.exceptions import UserError

from .qms_workflow_mixin import qms_changing


class QmsHistoryMixin(models.AbstractModel):
    """A record of what was found or done on a day (a verification, a maintenance): written once,
    never changed or deleted; a correction is a new record."""

    _name = "qms.history.mixin"
    _description = "QMS Record of History"

    # The fields that make the record; nobody (but the system) changes them afterwards.
    _qms_recorded_fields = ()

    def write(self, vals):
        changed = not self.env.su and qms_changing(self, self._qms_recorded_fields, vals)
        if changed:
            raise UserError(
                self.env._(
                    "%(record)s is a record of history: %(fields)s cannot change. Record a new one instead.",
                    record=self[:1].display_name,
                    fields=", ".join(sorted(self._fields[n]._description_string(self.env) for n in changed)),
                )
            )
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        raise UserError(
            self.env._(
                "%(record)s is a record of history and cannot be deleted.", record=self[:1].display_name
            )
        )
