INSTALLED_APPS = ["django.contrib.contenttypes"]
