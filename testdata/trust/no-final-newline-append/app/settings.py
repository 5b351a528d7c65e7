DATABASES = {'default': {}}
DATABASES['default']['ENGINE'] = 'django.db.backends.postgresql'