from dateutil.relativedelta import relativedelta

from odoo import api, fields, models


# split by concern on purpose: one file per capability of the complaint
class QmsComplaint(models.Model):
    """Market quality alarms: the defect rate against the company's thresholds, and recurrences."""

    _inherit = "qms.complaint"  # pylint: disable=consider-merging-classes-inherited

    qms_defect_rate = fields.Float(
        string="Defect Rate", compute="_compute_alarm", store=True, digits=(16, 6), aggregator="avg"
    )
    recurrence_of_id = fields.Many2one(
        "qms.complaint",
        compute="_compute_recurrence_of_id",
        store=True,
        index="btree_not_null",
        help="An earlier complaint of the same customer and product with the same cause category.",
    )
    alarm_level = fields.Selection(
        [("none", "None"), ("anomaly", "Market Quality Anomaly"), ("special", "Special Quality Report")],
        compute="_compute_alarm",
        store=True,
        index=True,
    )

    @api.depends("partner_id", "product_id", "cause_category", "date_received", "company_id")
    def _compute_recurrence_of_id(self):
        """One search for the whole batch, then the latest earlier match per complaint."""
        todo = self.filtered(lambda c: c.partner_id and c.product_id and c.cause_category and c.date_received)
        (self - todo).recurrence_of_id = False
        if not todo:
            return
        oldest = min(c.date_received - relativedelta(months=c.company_id.qms_recurrence_months) for c in todo)
        candidates = self.search(
            [
                ("company_id", "in", todo.company_id.ids),
                ("partner_id", "in", todo.partner_id.ids),
                ("product_id", "in", todo.product_id.ids),
                ("cause_category", "in", list(set(todo.mapped("cause_category")))),
                ("state", "!=", "cancelled"),
                ("date_received", ">=", oldest),
            ],
            order="date_received desc, id desc",
        )
        for complaint in todo:
            since = complaint.date_received - relativedelta(months=complaint.company_id.qms_recurrence_months)
            key = (complaint.company_id, complaint.partner_id, complaint.product_id, complaint.cause_category)
            complaint.recurrence_of_id = next(
                (
                    other
                    for other in candidates
                    if other.id != complaint._origin.id
                    and (other.company_id, other.partner_id, other.product_id, other.cause_category) == key
                    and since <= other.date_received <= complaint.date_received
                    # Received at the same moment: only the later record is the recurrence.
                    and (
                        other.date_received < complaint.date_received
                        or other.id < (complaint._origin.id or 0)
                    )
                ),
                False,
            )

    @api.depends("qty_defect", "qty_delivered", "recurrence_of_id", "company_id")
    def _compute_alarm(self):
        for complaint in self:
            company = complaint.company_id
            rate = complaint.qty_defect / complaint.qty_delivered if complaint.qty_delivered else 0.0
            complaint.qms_defect_rate = rate
            if rate * 100 > company.qms_defect_special_percent or complaint.recurrence_of_id:
                complaint.alarm_level = "special"
            elif rate * 1000 > company.qms_defect_anomaly_permille:
                complaint.alarm_level = "anomaly"
            else:
                complaint.alarm_level = "none"

    def _qms_raise_alarms(self, previous):
        """An activity for the quality managers each time a complaint's alarm level rises."""
        order = ["none", "anomaly", "special"]
        vals_list = []
        for complaint in self:
            before = previous.get(complaint.id, "none")
            if order.index(complaint.alarm_level or "none") <= order.index(before or "none"):
                continue
            special = complaint.alarm_level == "special"
            activity_type = self.env.ref(
                "qms_customer.mail_activity_qms_special_report"
                if special
                else "qms_customer.mail_activity_qms_anomaly_report"
            )
            recurrence = complaint.recurrence_of_id.display_name
            for manager in complaint.company_id._qms_quality_managers():
                # Written in the manager's language (summary from the activity type, and the note).
                env = complaint.with_context(lang=manager.lang or self.env.lang).env
                vals_list.append(
                    {
                        "res_model_id": self.env["ir.model"]._get_id(self._name),
                        "res_id": complaint.id,
                        "activity_type_id": activity_type.id,
                        "summary": activity_type.with_env(env).summary,
                        "note": env._(
                            "Defect rate %(rate)s ‰%(recurrence)s.",
                            rate=round(complaint.qms_defect_rate * 1000, 2),
                            recurrence=env._(", recurrence of %s", recurrence) if recurrence else "",
                        ),
                        "date_deadline": complaint.company_id._qms_local_today()
                        + relativedelta(days=activity_type.delay_count),
                        "user_id": manager.id,
                    }
                )
        if vals_list:
            self._qms_system_activities(vals_list)

    @api.model_create_multi
    def create(self, vals_list):
        complaints = super().create(vals_list)
        complaints._qms_raise_alarms({})
        return complaints

    def write(self, vals):
        previous = {complaint.id: complaint.alarm_level for complaint in self}
        result = super().write(vals)
        self._qms_raise_alarms(previous)
        return result
