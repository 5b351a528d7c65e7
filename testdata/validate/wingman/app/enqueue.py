"""Enqueue tasks through wingman's routes, as the web process would:
enqueue.py AI HEAVY MS AI_MS sends HEAVY transcode_media tasks of MS
milliseconds each and AI generate_reply tasks waiting AI_MS milliseconds
on the AI model."""
import sys

import django

django.setup()

from chat.tasks import generate_reply  # noqa: E402
from core.tasks import transcode_media  # noqa: E402

ai, heavy, ms, ai_ms = (int(a) for a in sys.argv[1:5])
for _ in range(heavy):
    transcode_media.delay(ms)
for _ in range(ai):
    generate_reply.delay(ai_ms)
