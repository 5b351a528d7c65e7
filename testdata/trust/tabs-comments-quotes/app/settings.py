# Settings, indented with tabs.
DATABASES = {
	'default': {
		'ENGINE': 'django.db.backends.postgresql',  # Postgres 16
		'NAME': 'app',
		# no CONN_MAX_AGE: Django closes the connection after each request
	}
}

CACHES = {
	'default': {
		'BACKEND': 'django_redis.cache.RedisCache',
		'LOCATION': 'redis://redis:6379/1',
	},
}
