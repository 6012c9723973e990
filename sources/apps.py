from django.apps import AppConfig


class SourcesConfig(AppConfig):
    name = "sources"
    verbose_name = "Sources and articles"

    def ready(self) -> None:
        from sources.redaction import install_log_redaction

        # Source URLs may carry passwords; no log record may show them.
        install_log_redaction()
