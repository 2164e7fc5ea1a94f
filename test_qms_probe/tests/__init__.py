from . import test_probe_family
from . import test_probe_case
from . import test_probe_ledger
from . import test_probe_action
