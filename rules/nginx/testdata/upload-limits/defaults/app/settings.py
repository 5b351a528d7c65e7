INSTALLED_APPS = ["django.contrib.contenttypes"]
DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024
