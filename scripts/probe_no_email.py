"""From outside, over XML-RPC: users created as a plant creates them (no e-mail, Chinese) register,
investigate and close a serious complaint, each in their own login; forged writes are refused.

Usage: python scripts/probe_no_email.py http://127.0.0.1:8369 DB  (a copy of the demo database)
Prints each step and ends with "N steps ok, N refused as expected, N failed".
"""

import base64
import sys
import xmlrpc.client

URL, DB = sys.argv[1], sys.argv[2]
common = xmlrpc.client.ServerProxy(f"{URL}/xmlrpc/2/common", allow_none=True)
models = xmlrpc.client.ServerProxy(f"{URL}/xmlrpc/2/object", allow_none=True)
counts = {"ok": 0, "refused": 0, "failed": 0}


def login(name, password):
    return common.authenticate(DB, name, password, {})


def call(uid, password, model, method, *args, **kwargs):
    return models.execute_kw(DB, uid, password, model, method, list(args), kwargs)


def step(label, func):
    try:
        result = func()
    except xmlrpc.client.Fault as fault:
        counts["failed"] += 1
        print(f"FAILED  {label}: {fault.faultString.strip().splitlines()[-1]}")
        return None
    counts["ok"] += 1
    print(f"ok      {label}")
    return result


def refused(label, func):
    try:
        func()
    except xmlrpc.client.Fault as fault:
        counts["refused"] += 1
        print(f"refused {label}: {fault.faultString.strip().splitlines()[-1][:110]}")
        return
    counts["failed"] += 1
    print(f"FAILED  {label}: went through")


admin = login("admin", "admin")


def group(xmlid):
    module, name = xmlid.split(".")
    data = call(
        admin, "admin", "ir.model.data", "search_read", [("module", "=", module), ("name", "=", name)]
    )
    return data[0]["res_id"]


company = call(admin, "admin", "res.users", "read", [admin], ["company_id"])[0]["company_id"][0]
users = {}
for role in ("sales", "quality", "quality_manager", "technical", "general_manager"):
    login_name = f"plain_{role}"
    found = call(admin, "admin", "res.users", "search", [("login", "=", login_name)])
    uid = (
        found[0]
        if found
        else call(
            admin,
            "admin",
            "res.users",
            "create",
            {
                "name": f"普通用户 {role}",
                "login": login_name,
                "password": login_name,
                "lang": "zh_CN",
                "tz": "Asia/Shanghai",
                "company_id": company,
                "company_ids": [(6, 0, [company])],
                "groups_id": [(6, 0, [group("base.group_user"), group(f"qms_customer.group_qms_{role}")])],
            },
        )
    )
    users[role] = (login(login_name, login_name), login_name)
    assert users[role][0], f"cannot log in as {login_name}"
emails = call(admin, "admin", "res.users", "read", [u for u, _p in users.values()], ["email"])
print("users without e-mail:", all(not u["email"] for u in emails))


def as_(role, model, method, *args, **kwargs):
    uid, password = users[role]
    kwargs["context"] = {
        "lang": "zh_CN",
        "tz": "Asia/Shanghai",
        **kwargs.get("context", {}),
    }  # as the web client
    return call(uid, password, model, method, *args, **kwargs)


customer = call(
    admin,
    "admin",
    "res.partner",
    "create",
    {
        "name": "探针客户有限公司",
        "is_company": True,
        "email": "qa@probe.example.com",
        "user_id": users["sales"][0],
    },
)
product = call(
    admin, "admin", "ir.model.data", "search_read", [("name", "=", "product_caliper")], ["res_id"]
)[0]["res_id"]
demand = call(
    admin, "admin", "ir.model.data", "search_read", [("name", "=", "demand_replacement")], ["res_id"]
)[0]["res_id"]

# Sales: a critical complaint at 1.2 % defects, with a photo uploaded first (as the form does).
photo = step(
    "sales uploads a photo",
    lambda: as_(
        "sales",
        "ir.attachment",
        "create",
        {
            "name": "缺陷.png",
            "datas": base64.b64encode(b"png").decode(),
            "res_model": "qms.complaint",
            "res_id": 0,
        },
    ),
)
complaint = step(
    "sales registers a critical complaint (1.2 % defects)",
    lambda: as_(
        "sales",
        "qms.complaint",
        "create",
        {
            "partner_id": customer,
            "product_id": product,
            "quality_user_id": users["quality"][0],
            "severity": "critical",
            "delivery_date": "2026-10-01",
            "qty_delivered": 1000,
            "qty_defect": 12,
            "description": "<p>活塞卡死</p>",
            "photo_ids": [(6, 0, [photo])],
            "customer_demand_ids": [(6, 0, [demand])],
        },
    ),
)
refused(
    "sales writes state 'closed'",
    lambda: as_("sales", "qms.complaint", "write", [complaint], {"state": "closed"}),
)
refused(
    "sales forges the general manager's signature",
    lambda: as_(
        "sales",
        "qms.complaint",
        "write",
        [complaint],
        {"gm_signed_by_id": admin, "gm_signed_on": "2026-12-01"},
    ),
)
refused(
    "sales forges the alert log",
    lambda: as_("sales", "qms.complaint", "write", [complaint], {"qms_alert_log": {}}),
)
refused(
    "sales drops the 8D gate",
    lambda: as_("sales", "qms.complaint", "write", [complaint], {"requires_8d": False}),
)
step("sales confirms", lambda: as_("sales", "qms.complaint", "action_confirm", [complaint]))
step(
    "sales logs the first reply", lambda: as_("sales", "qms.complaint", "action_log_first_reply", [complaint])
)

# Quality: the 8D.
step("quality starts", lambda: as_("quality", "qms.complaint", "action_start", [complaint]))
step(
    "quality fills D0-D2 and asks for an 8D",
    lambda: as_(
        "quality",
        "qms.complaint",
        "write",
        [complaint],
        {
            "requires_8d": True,
            "d0_emergency_response": "冻结客户库存",
            "eightd_leader_id": users["quality"][0],
            "eightd_team_ids": [(6, 0, [users["quality"][0], users["technical"][0]])],
            "d2_what": "活塞卡死",
        },
    ),
)


def complete(d):
    return step(
        f"quality completes {d.upper()}",
        lambda: as_(
            "quality", "qms.complaint", "action_8d_complete", [complaint], context={"qms_8d_step": d}
        ),
    )


def action(kind, role):
    return step(
        f"quality assigns a {kind} action",
        lambda: as_(
            "quality",
            "qms.action",
            "create",
            {
                "complaint_id": complaint,
                "action_type": kind,
                "description": f"{kind} 措施",
                "user_id": users[role][0],
                "date_deadline": "2026-12-31",
            },
        ),
    )


for d in ("d0", "d1", "d2"):
    complete(d)
containment = action("containment", "quality")
complete("d3")
step(
    "quality writes the root cause",
    lambda: as_(
        "quality",
        "qms.complaint",
        "write",
        [complaint],
        {"d4_occurrence_cause": "刀具磨损", "d4_escape_cause": "抽检频次低", "cause_category": "machine"},
    ),
)
complete("d4")
corrective = action("corrective", "technical")
complete("d5")
refused(
    "technical verifies its own action",
    lambda: as_("technical", "qms.action", "write", [corrective], {"effectiveness": "effective"}),
)
step(
    "technical reports the result",
    lambda: as_("technical", "qms.action", "write", [corrective], {"result": "已换刀"}),
)
step("technical marks it done", lambda: as_("technical", "qms.action", "action_done", [corrective]))
step(
    "quality verifies it effective",
    lambda: as_("quality", "qms.action", "action_verify_effective", [corrective]),
)
step(
    "quality closes the containment",
    lambda: as_("quality", "qms.action", "action_done", [containment]),
)
step(
    "quality writes D6/D7",
    lambda: as_(
        "quality",
        "qms.complaint",
        "write",
        [complaint],
        {"d6_evidence": "CPK 1.67", "d7_lessons_learned": "刀具寿命管理"},
    ),
)
for d in ("d6", "d7", "d8"):
    complete(d)
step(
    "quality writes the reply",
    lambda: as_("quality", "qms.complaint", "write", [complaint], {"reply_note": "<p>已更换刀具</p>"}),
)
composer = step(
    "quality opens Send Reply", lambda: as_("quality", "qms.complaint", "action_send_reply", [complaint])
)
if composer:
    step(
        "quality sends the reply (from the company's address)",
        lambda: as_(
            "quality",
            "mail.compose.message",
            "action_send_mail",
            [composer["res_id"]],
            context=composer["context"],
        ),
    )
step(
    "quality manager signs",
    lambda: as_("quality_manager", "qms.complaint", "action_sign_quality_manager", [complaint]),
)
step(
    "general manager signs",
    lambda: as_("general_manager", "qms.complaint", "action_sign_general_manager", [complaint]),
)
refused(
    "a second signature",
    lambda: as_("general_manager", "qms.complaint", "action_sign_general_manager", [complaint]),
)
step("quality manager closes", lambda: as_("quality_manager", "qms.complaint", "action_close", [complaint]))
state = call(
    admin, "admin", "qms.complaint", "read", [complaint], ["state", "eightd_step", "gm_signed_by_id"]
)[0]
print("final:", state["state"], state["eightd_step"], state["gm_signed_by_id"])
print(f"{counts['ok']} steps ok, {counts['refused']} refused as expected, {counts['failed']} failed")
sys.exit(1 if counts["failed"] or state["state"] != "closed" else 0)
