from . import qms_cancel_wizard
from . import qms_overdue_report_wizard
