"""gunicorn settings for lvliang-eco (deploy/lvliang-eco.service, make serve).

Read from the same environment as the application: GUNICORN_BIND, GUNICORN_WORKERS,
GUNICORN_TIMEOUT. Logs go to standard error, one line per request (journald keeps them)."""

import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8001")
workers = int(os.environ.get("GUNICORN_WORKERS", "3"))
# A 2,000-row county spreadsheet is read and checked within the request: allow it time.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "120"))
# Only nginx on this machine may say that the visitor came over HTTPS (X-Forwarded-Proto).
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
accesslog = "-"
errorlog = "-"
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms user-agent="%(a)s"'
# Load the application before forking: a configuration error (static files not collected,
# a malformed setting) stops the service at once with the reason, instead of in every worker.
preload_app = True
# No control socket: systemd signals the master (reload: HUP), and the service's user has no
# writable home (ProtectHome=true).
control_socket_disable = True
