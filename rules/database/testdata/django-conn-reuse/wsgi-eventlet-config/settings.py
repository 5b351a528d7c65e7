DATABASES = {
    'default': {  # want "CONN_MAX_AGE is not set .* gunicorn runs eventlet workers"
        'ENGINE': 'django.db.backends.postgresql',
        'HOST': 'db',
    }
}
