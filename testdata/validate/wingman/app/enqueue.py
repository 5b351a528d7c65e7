"""Enqueue tasks through wingman's routes, as the web process would:
enqueue.py AI HEAVY MS sends AI generate_reply and HEAVY transcode_media
tasks of MS milliseconds each."""
import sys

import django

django.setup()

from chat.tasks import generate_reply  # noqa: E402
from core.tasks import transcode_media  # noqa: E402

ai, heavy, ms = (int(a) for a in sys.argv[1:4])
for _ in range(heavy):
    transcode_media.delay(ms)
for _ in range(ai):
    generate_reply.delay(ms)
