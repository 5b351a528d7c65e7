INSTALLED_APPS = ["django.contrib.contenttypes"]

DATABASES = {
    "default": {  # want "can hold at most 104 PostgreSQL connections at once, more than the 97 usable.*web 24 workers x pool of 4 \\(96\\) \\+ celery_ai 1 process x pool of 4 \\(4\\) \\+ celery_heavy 4 processes x pool of 1 \\(4\\) = at most 104; .*; celery_ai's 20 threads share 4 connections per process: waits up to 30 s, then PoolTimeout; Celery 5.6.2 closes Django's pool after every task in prefork children: a new connection per task, no reuse from the pool$" # related "celery_heavy: 4 connections"
        "ENGINE": "django.db.backends.postgresql",
        "HOST": "db",
        "OPTIONS": {"pool": {"min_size": 4, "max_size": 4}},
    }
}
