from django.apps import AppConfig


class TeamConfig(AppConfig):
    name = "team"
    verbose_name = "Team and security"

    def ready(self) -> None:
        from team import checks  # noqa: F401  (registers the deployment checks)
