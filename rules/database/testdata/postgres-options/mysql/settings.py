DATABASES = {"default": {"ENGINE": "django.db.backends.mysql", "HOST": "db"}}
