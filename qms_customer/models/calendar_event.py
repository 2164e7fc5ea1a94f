from odoo import api, models


class CalendarEvent(models.Model):
    _inherit = "calendar.event"

    @api.model_create_multi
    def create(self, vals_list):
        events = super().create(vals_list)
        events._qms_plan_visits()
        return events

    def write(self, vals):
        result = super().write(vals)
        if {"start", "res_id", "res_model_id", "allday"} & set(vals):
            self._qms_plan_visits()
        return result

    def _qms_plan_visits(self):
        """A meeting scheduled for a planned customer visit (from its Schedule button) plans the
        visit on the meeting's day, in the company's zone; moving the meeting moves the plan. Only
        for who may edit the visit: anybody's calendar may link a meeting to a visit, and who only
        reads it (R&D, management) does not plan it that way."""
        meetings = self.filtered(lambda e: e.res_model == "qms.visit" and e.res_id and e.start)
        if not meetings:
            return
        visits = self.env["qms.visit"].browse(meetings.mapped("res_id")).exists()
        if not self.env.su:
            visits = visits._filtered_access("write")
        visits = visits.sudo()
        for meeting in meetings:
            visit = visits.filtered(lambda v, m=meeting: v.id == m.res_id)
            if visit and visit.state == "planned":
                day = (
                    meeting.start_date
                    if meeting.allday
                    else visit._qms_local_date(meeting.start, self.env["res.users"])
                )
                if visit.date_planned != day:
                    visit.date_planned = day
