# -*- coding: latin-1 -*-
# Réglages de production
DEBUG = False
SITE_NAME = 'Café'
DATABASES = {
    'default': {
        'ENGINE': 'django.db.backends.postgresql',
        'NAME': 'café',
    }
}
