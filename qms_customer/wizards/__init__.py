from . import qms_cancel_wizard
from . import qms_ledger_wizard
from . import qms_overdue_report_wizard
from . import qms_complaint_ledger_wizard
from . import qms_return_approval_wizard
from . import stock_return_picking
from . import qms_return_refuse_wizard
from . import qms_return_ledger_wizard
