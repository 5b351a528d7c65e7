DATABASES = {
    'default': {
        'ENGINE': 'django.db.backends.postgresql',
        'HOST': 'db',
        'CONN_MAX_AGE': 600,
        'CONN_HEALTH_CHECKS': True,
        # want "OPTIONS lacks keepalives_idle, keepalives_interval, keepalives_count"
        'OPTIONS': {
            'connect_timeout': 10,
            # want "\"default_statement_timeout\" is not a PostgreSQL parameter: every connection fails \\(did you mean statement_timeout\\?\\)"
            'options': '-c statement_timeout=30000 -c default_statement_timeout=30000',
            'keepalives': 1,
        },
    }
}
