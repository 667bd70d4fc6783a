from flask_babel import lazy_gettext as _l


class DashboardError(Exception):
    message = _l("This cannot be done.")

    def __str__(self) -> str:
        return str(self.message)


class InvalidTarget(DashboardError):
    message = _l("Choose a province and a target of zero or more households.")
