from django.apps import AppConfig


class LeicesterPerfConfig(AppConfig):
    """The project itself as an app: its security signal receivers and site-wide commands."""

    name = "leicester_perf"
    verbose_name = "leicester_perf"

    def ready(self):
        from axes.signals import user_locked_out
        from django.contrib.auth.signals import user_logged_in, user_login_failed

        from leicester_perf import security

        user_login_failed.connect(security.log_failed_sign_in, dispatch_uid="security-failed")
        user_locked_out.connect(security.log_lockout, dispatch_uid="security-locked-out")
        user_logged_in.connect(security.note_sign_in, dispatch_uid="security-signed-in")
