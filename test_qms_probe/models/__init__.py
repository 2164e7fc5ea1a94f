from . import qms_probe_document
from . import qms_probe_broken
from . import qms_probe_case
