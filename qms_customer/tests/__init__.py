from . import test_deadline_engine
from . import test_complaint_workflow
from . import test_complaint_security
from . import test_deadline_cron
from . import test_overdue_report
from . import test_performance
from . import test_i18n
