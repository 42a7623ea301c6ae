"""Stand-in webhook receiver for Alertmanager in docker compose (service ``alert-receiver``).

monitoring/alertmanager/alertmanager.yml routes alerts to
``http://alert-receiver:9095/alertmanager/{critical,warning,default}``; this answers 200 to every
POST and prints one line per alert (receiver path, status, name, severity, summary), so
``docker compose logs alert-receiver`` shows what would have paged. Replace it with a real
receiver (PagerDuty, Opsgenie, a Slack bridge) in production. Standard library only.
"""

from __future__ import annotations

import json
import os
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Handler(BaseHTTPRequestHandler):
    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        try:
            alerts = json.loads(body).get("alerts", [])
        except (ValueError, AttributeError):
            alerts = []
        for alert in alerts:
            labels, notes = alert.get("labels", {}), alert.get("annotations", {})
            print(
                f"{self.path} {alert.get('status', '?')} {labels.get('alertname', '?')} "
                f"severity={labels.get('severity', '?')} {notes.get('summary', '')}",
                flush=True,
            )
        self.send_response(200)
        self.end_headers()

    def do_GET(self) -> None:  # health probe
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"ok\n")

    def log_message(self, format: str, *args: object) -> None:
        pass


if __name__ == "__main__":
    port = int(os.environ.get("ALERT_RECEIVER_PORT", "9095"))
    print(f"alert-receiver listening on :{port}", file=sys.stderr, flush=True)
    ThreadingHTTPServer(("0.0.0.0", port), Handler).serve_forever()
