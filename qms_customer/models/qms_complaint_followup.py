import logging

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.tools.translate import LazyTranslate

from .qms_workflow_mixin import Transition

# Class-level declarations have no env yet: their verbs are lazy, translated when refused.
# pylint: disable=prefer-env-translation
_lt = LazyTranslate(__name__)
_logger = logging.getLogger(__name__)


# split by concern on purpose: one file per capability of the complaint
class QmsComplaint(models.Model):
    """Monthly follow-up until the customer confirms the closure (REQUIREMENTS §4)."""

    _inherit = "qms.complaint"  # pylint: disable=consider-merging-classes-inherited

    _qms_workflow_fields = ("customer_closure_confirmed", "date_closure_confirmed", "followup_month")
    _qms_transitions = {
        "confirm_customer_closure": Transition(
            ("closed",),
            ("qms_customer.group_qms_sales", "qms_customer.group_qms_quality"),
            _lt("confirm the closure of"),
        ),
    }

    can_confirm_customer_closure = fields.Boolean(compute="_compute_qms_can")

    customer_closure_confirmed = fields.Boolean(readonly=True, copy=False, tracking=True)
    date_closure_confirmed = fields.Datetime(string="Closure Confirmed On", readonly=True, copy=False)
    followup_month = fields.Char(
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="The month (YYYY-MM) of the last monthly follow-up activity, so that it is given once.",
    )

    def action_confirm_customer_closure(self):
        """The customer confirmed the final closure (monthly follow-up)."""
        self._qms_ensure_can("confirm_customer_closure")
        self.filtered(lambda c: not c.customer_closure_confirmed)._qms_workflow_write(
            {"customer_closure_confirmed": True, "date_closure_confirmed": fields.Datetime.now()}
        )
        # The follow-up activity was the system's: closed as superuser (the user may have no e-mail).
        self.sudo().activity_feedback(
            ["qms_customer.mail_activity_qms_followup"],
            feedback=self.env._("The customer confirmed the closure."),
        )
        return True

    @api.model
    def _cron_monthly_followup(self):
        """From the first working day of a month, one follow-up activity per complaint received before
        this month that is still open or whose closure the customer has not confirmed."""
        pending = [("state", "!=", "cancelled"), ("customer_closure_confirmed", "=", False)]
        for [company] in self.sudo()._read_group(pending, ["company_id"]):
            today = company._qms_local_today()
            # From the first working day on; followup_month makes later runs catch up only what
            # an earlier run missed (server down, an error), never repeat it.
            if today < company._qms_first_working_day(today):
                continue
            month = today.strftime("%Y-%m")
            month_start = company._qms_local_to_utc(today.replace(day=1))
            complaints = self.sudo().search(
                pending
                + [
                    ("company_id", "=", company.id),
                    ("date_received", "<", month_start),
                    "|",
                    ("followup_month", "=", False),
                    ("followup_month", "!=", month),
                ]
            )
            try:
                with self.env.cr.savepoint():
                    complaints._qms_schedule_followup(month)
            except Exception:
                _logger.exception(
                    "Monthly complaint follow-up of company %s failed; retried next run", company.id
                )

    def _qms_schedule_followup(self, month):
        """One follow-up activity per complaint, in its assignee's language, created in one batch."""
        activity_type = self.env.ref("qms_customer.mail_activity_qms_followup")
        model_id = self.env["ir.model"]._get_id(self._name)
        vals_list = []
        for complaint in self:
            user = complaint.quality_user_id or complaint.user_id or self.env.ref("base.user_admin")
            local = complaint.with_context(lang=user.lang or self.env.lang)
            vals_list.append(
                {
                    "res_model_id": model_id,
                    "res_id": complaint.id,
                    "activity_type_id": activity_type.id,
                    "summary": activity_type.with_env(local.env).summary,
                    "note": local.env._(
                        "Follow up %(complaint)s: re-analyse it and confirm its closure with the customer.",
                        complaint=complaint.display_name,
                    ),
                    "date_deadline": complaint.company_id._qms_local_today()
                    + relativedelta(days=activity_type.delay_count),
                    "user_id": user.id,
                    "automated": True,  # found again by activity_feedback on confirmation
                }
            )
        # As the deadline engine: no "activity assigned" e-mail per complaint.
        self._qms_system_activities(vals_list)
        self._qms_workflow_write({"followup_month": month})
