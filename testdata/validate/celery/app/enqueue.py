"""Enqueue N hold(ms) tasks through the app, as a web process would."""
import sys

from proj.tasks import hold

n, ms = int(sys.argv[1]), int(sys.argv[2])
for _ in range(n):
    hold.delay(ms)
