"""Interface labels of the transfer queue."""

from flask_babel import lazy_gettext as _l

QUEUE_LABELS = {
    "short": _l("Less than the amount due"),
    "over": _l("More than the amount due"),
    "late": _l("For a checkout already expired or paid"),
    "unmatched": _l("No payment code we know"),
}
