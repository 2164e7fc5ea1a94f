import xmlrpc.client

from odoo import api
from odoo.addons.base.controllers.rpc import RPC, _check_request, dumps
from odoo.http import dispatch_rpc, request, route
from odoo.modules.registry import Registry
from odoo.service import security


def with_user_context(service, method, params):
    """An external RPC call (``execute_kw``) without a language in its context runs in the
    user's language and time zone, as every call of the web client does: the refusals of the
    workflow, written with ``env._``, then read in the user's language (Odoo's own ``_`` already
    guesses it). The credentials are checked first: nothing is looked up for a stranger."""
    if service != "object" or method != "execute_kw" or len(params) < 6:
        return params
    db, uid, password = params[0], params[1], params[2]
    kwargs = dict(params[6]) if len(params) > 6 and isinstance(params[6], dict) else {}
    context = kwargs.get("context") or {}
    if not isinstance(context, dict) or context.get("lang"):
        return params
    security.check(db, int(uid), password)
    with Registry(db).cursor() as cr:
        user_context = api.Environment(cr, int(uid), {})["res.users"].context_get()
    kwargs["context"] = {
        **{key: user_context[key] for key in ("lang", "tz") if user_context.get(key)},
        **context,
    }
    return [*params[:6], kwargs, *params[7:]]


class QmsRPC(RPC):
    def _xmlrpc(self, service):
        _check_request()
        params, method = xmlrpc.client.loads(request.httprequest.get_data(), use_datetime=True)
        return dumps((dispatch_rpc(service, method, with_user_context(service, method, params)),))

    @route()
    def jsonrpc(self, service, method, args):
        return super().jsonrpc(service, method, with_user_context(service, method, args))
