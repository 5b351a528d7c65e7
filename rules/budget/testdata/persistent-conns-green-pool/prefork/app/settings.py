INSTALLED_APPS = ["django.contrib.contenttypes"]
DATABASES = {"default": {"ENGINE": "django.db.backends.postgresql", "HOST": "db.example.com", "CONN_MAX_AGE": 600}}
