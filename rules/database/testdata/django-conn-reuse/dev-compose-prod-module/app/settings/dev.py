from .common import *  # noqa: F403

DEBUG = True
