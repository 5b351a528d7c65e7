DATABASES = {
    'default': {
        'ENGINE': 'django.db.backends.postgresql',
        'HOST': 'db',
        'CONN_MAX_AGE': 0,  # want "CONN_MAX_AGE is 0: .* gunicorn runs gevent workers, where each greenlet keeps its own persistent connection"
    }
}
