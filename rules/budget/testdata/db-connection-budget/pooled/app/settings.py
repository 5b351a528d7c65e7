INSTALLED_APPS = ["django.contrib.contenttypes"]
DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "HOST": "db.example.com",
        "OPTIONS": {"pool": {"min_size": 2, "max_size": 4}},
    }
}
