from app.settings.common import *

REST_FRAMEWORK["PAGE_SIZE"] = 999
