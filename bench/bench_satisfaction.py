"""Benchmark of the satisfaction scoring (make bench).

Runs inside `odoo-bin shell` (``env`` is given) on a copy of the demo database and rolls back at
the end. A campaign of BENCH_SURVEY_RESPONSES answered questionnaires (5,000) of
BENCH_SURVEY_QUESTIONS rating questions (20) is scored (scores per sub-item, item, customer and
overall, trend, CSAT); the target is 2 s on this machine, reported as a ratio against one SQL
aggregate of the same answer lines (what any scoring must at least read). The follow-up the Score
button runs next (a visit for each of the 500 dissatisfied customers, corrective actions) is
measured on its own line: it creates business documents, 500 of them here.
"""

import os
import time

from odoo import Command

RESPONSES = int(os.environ.get("BENCH_SURVEY_RESPONSES", "5000"))
QUESTIONS = int(os.environ.get("BENCH_SURVEY_QUESTIONS", "20"))
TARGET = float(os.environ.get("BENCH_SURVEY_TARGET", "2.0"))
CHUNK = 1000
LEVELS = ("very_satisfied", "satisfied", "average", "poor")
ITEMS = ("quality", "delivery", "service", "price", "communication", "overall")

company = env.ref("base.main_company")
rep = env.ref("qms_customer.user_qms_management_rep")
quiet = {"tracking_disable": True, "mail_create_nolog": True, "mail_notrack": True}
survey = env["survey.survey"].create(
    {
        "title": "Bench satisfaction",
        "access_mode": "token",
        "question_and_page_ids": [
            Command.create(
                {
                    "title": f"Rating {n}",
                    "question_type": "simple_choice",
                    "qms_item": ITEMS[n % len(ITEMS)],
                    "suggested_answer_ids": [
                        Command.create({"value": level, "qms_level": level}) for level in LEVELS
                    ],
                }
            )
            for n in range(QUESTIONS)
        ],
    }
)
questions = survey.question_ids
customers = env["res.partner"].create(
    [{"name": f"Bench Satisfaction Customer {n}", "is_company": True} for n in range(RESPONSES)]
)
Campaign = env["qms.satisfaction.campaign"].with_context(**quiet)
campaign = Campaign.create(
    {"company_id": company.id, "period": "Bench", "survey_id": survey.id, "user_id": rep.id}
)
Participant = env["qms.satisfaction.participant"].with_context(**quiet)
Input = env["survey.user_input"].with_context(**quiet)
Line = env["survey.user_input.line"].with_context(**quiet)
now = env.cr.now()


def level_of(response, question):
    if response % 10 == 0 and question == 0:
        return 3
    return (response + question) % 3


for start in range(0, RESPONSES, CHUNK):
    chunk = customers[start : start + CHUNK]
    inputs = Input.create(
        [{"survey_id": survey.id, "partner_id": p.id, "state": "done", "end_datetime": now} for p in chunk]
    )
    Line.create(
        [
            {
                "user_input_id": answer.id,
                "survey_id": survey.id,
                "question_id": question.id,
                "answer_type": "suggestion",
                # Mostly satisfied; every tenth customer rates one question poor (dissatisfied).
                "suggested_answer_id": question.suggested_answer_ids[level_of(start + i, q)].id,
            }
            for i, answer in enumerate(inputs)
            for q, question in enumerate(questions)
        ]
    )
    Participant.create(
        [
            {
                "campaign_id": campaign.id,
                "partner_id": p.id,
                "user_input_id": answer.id,
                "date_sent": now,
                "channel": "paper",
            }
            for p, answer in zip(chunk, inputs, strict=True)
        ]
    )
    env.flush_all()
    env.invalidate_all()
campaign.sudo()._qms_workflow_write({"state": "running"})
env.flush_all()
# Fresh statistics, as autovacuum has them once the answers trickled in over the month (the bulk
# import of this bench is not seen by the planner otherwise; ANALYZE sees this transaction's rows).
env.cr.execute("ANALYZE survey_user_input_line, survey_user_input, qms_satisfaction_participant")
env.invalidate_all()
answered = campaign.participant_ids.filtered(lambda p: p.state == "answered")
assert len(answered) == RESPONSES, len(answered)
env.invalidate_all()


def run(func):
    cr = env.cr
    queries, start = cr.sql_log_count, time.perf_counter()
    func()
    env.flush_all()
    return time.perf_counter() - start, cr.sql_log_count - queries


def sql_aggregate():
    env.cr.execute(
        """
        SELECT l.user_input_id, l.question_id, l.suggested_answer_id, count(*)
          FROM survey_user_input_line l
          JOIN qms_satisfaction_participant p ON p.user_input_id = l.user_input_id
         WHERE p.campaign_id = %s AND l.skipped IS NOT TRUE AND l.answer_type = 'suggestion'
      GROUP BY 1, 2, 3
        """,
        [campaign.id],
    )
    env.cr.fetchall()


baseline, _q = run(sql_aggregate)
env.invalidate_all()
scorer = campaign.with_user(rep).with_context(**quiet)
scorer._qms_ensure_can("score")
ours, queries = run(scorer._qms_score)
env.invalidate_all()
follow, follow_queries = run(scorer._qms_followups)
score = campaign.score_overall
visits = campaign.visit_count
lines = RESPONSES * QUESTIONS
print()
print(f"Satisfaction scoring: {RESPONSES} responses x {QUESTIONS} questions ({lines} answer lines)")
print(f"{'measure':<44}{'ours':>10}{'SQL':>10}{'ratio':>9}{'target':>10}  result")
passed = ours <= TARGET
ratio = ours / max(baseline, 1e-6)
print(
    f"{'score the campaign (per item, customer, overall)':<44}{ours:>9.2f}s{baseline:>9.3f}s{ratio:>8.1f}x"
    f"{'<= ' + str(TARGET) + 's':>10}  {'pass' if passed else 'FAIL'}"
)
print(
    f"  {queries} queries; overall score {score:.1f}; CSAT {campaign.csat:.1f} %; "
    f"{campaign.dissatisfied_count} dissatisfied"
)
print(
    f"{'follow-up: plan a visit per dissatisfied':<44}{follow:>9.2f}s{'':>10}{'':>9}{'':>10}  "
    f"{visits} visits, {follow / max(visits, 1) * 1000:.1f} ms each, {follow_queries} queries"
)
print(f"{'Score button in all (both)':<44}{ours + follow:>9.2f}s")
env.cr.rollback()
