# Django settings
import sys
from pathlib import Path

import environ
import sentry_sdk
import structlog
from django.template.defaultfilters import slugify
from sentry_sdk.integrations.django import DjangoIntegration
from sentry_sdk.integrations.redis import RedisIntegration

from core import __version__

env = environ.Env()

BASE_DIR = Path(__file__).parent

PROJECT_ROOT = Path(__file__).parent

DEBUG = env.bool("DJANGO_DEBUG", True)
TEMPLATE_DEBUG = env.bool("TEMPLATE_DEBUG", True)
TEST_MODE = "pytest" in sys.modules or "test" in sys.argv

########## CACHE
# TODO: Add back Redis for caching in production by setting CACHE_URL env var
# e.g., CACHE_URL=redis://redis:6379/0
CACHES = {"default": env.cache_url("CACHE_URL", default="locmemcache://")}

REDIS_URL = env("CACHE_URL", default=None)


INTERNAL_IPS = [
    "127.0.0.1",
]

ADMINS = [
    ("Django Packages", "info@djangopackages.org"),
]

MANAGERS = ADMINS

# Local time zone for this installation. Choices can be found here:
# http://en.wikipedia.org/wiki/List_of_tz_zones_by_name
# although not all choices may be available on all operating systems.
# If running in a Windows environment this must be set to the same as your
# system time zone.
TIME_ZONE = "America/New_York"

# Language code for this installation. All choices can be found here:
# http://www.i18nguy.com/unicode/language-identifiers.html
LANGUAGE_CODE = "en-us"

SITE_ID = 1

# If you set this to False, Django will make some optimizations so as not
# to load the internationalization machinery.
USE_I18N = True

USE_TZ = True

# Absolute path to the directory that holds media.
# Example: "/home/media/media.lawrence.com/"
MEDIA_ROOT = PROJECT_ROOT / "media" if DEBUG else Path("/data/media")

# URL that handles the media served from MEDIA_ROOT. Make sure to use a
# trailing slash if there is a path component (optional in other cases).
# Examples: "http://media.lawrence.com", "http://example.com/media/"
MEDIA_URL = "/media/"

# Absolute path to the directory that holds static files like app media.
# Example: "/home/media/media.lawrence.com/apps/"
STATIC_ROOT = PROJECT_ROOT / "collected_static"

# URL that handles the static files like app media.
# Example: "http://media.lawrence.com"
STATIC_URL = "/static/"

# Additional directories which hold static files
STATICFILES_DIRS = [
    PROJECT_ROOT.joinpath("static"),
]

# WhiteNoise static file storage configuration
# This enables compression and proper serving of static files in production
# Using CompressedStaticFilesStorage instead of CompressedManifestStaticFilesStorage
# to avoid post-processing failures with third-party CSS files (e.g., phosphor-icons)
if not DEBUG:
    STORAGES = {
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
        },
        "staticfiles": {
            "BACKEND": "whitenoise.storage.CompressedStaticFilesStorage",
        },
    }

HEALTHCHECK = env.bool("HEALTHCHECK", False)
PACKAGE_HEALTHCHECK_URL = env.str("PACKAGE_HEALTHCHECK_URL", "")
PYPI_HEALTHCHECK_URL = env.str("PYPI_HEALTHCHECK_URL", "")
SEARCHV3_HEALTHCHECK_URL = env.str("SEARCHV3_HEALTHCHECK_URL", "")

# Configure Redis
REDIS_HOST = env("REDIS_HOST", default="redis")


# Use the default admin media prefix, which is...
# ADMIN_MEDIA_PREFIX = "/static/admin/"


MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "waffle.middleware.WaffleMiddleware",
    "django_structlog.middlewares.RequestMiddleware",
    "maintenance_mode.middleware.MaintenanceModeMiddleware",
]

TEMPLATES = [
    {
        "APP_DIRS": True,
        # See: https://docs.djangoproject.com/en/dev/ref/settings/#std:setting-TEMPLATES-BACKEND
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        # See: https://docs.djangoproject.com/en/dev/ref/settings/#template-dirs
        "DIRS": [
            PROJECT_ROOT.joinpath("templates"),
        ],
        "OPTIONS": {
            # See: https://docs.djangoproject.com/en/dev/ref/settings/#template-debug
            "debug": TEMPLATE_DEBUG,
            # See: https://docs.djangoproject.com/en/dev/ref/settings/#template-loaders
            # See: https://docs.djangoproject.com/en/dev/ref/settings/#template-context-processors
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.template.context_processors.i18n",
                "django.template.context_processors.media",
                "django.template.context_processors.static",
                "django.template.context_processors.tz",
                "django.contrib.messages.context_processors.messages",
                # Your stuff: custom template context processors go here
                "maintenance_mode.context_processors.maintenance_mode",
                "package.context_processors.used_packages_list",
                "profiles.context_processors.lazy_profile",
                "social_django.context_processors.backends",
                "social_django.context_processors.login_redirect",
                "core.context_processors.core_values",
                "banners.context_processors.active_banner",
            ],
        },
    },
]

AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
]

PROJECT_APPS = [
    "banners",
    "grid",
    "apiv3",
    "blog",
    "classifiers",
    "core",
    "favorites",
    # "commands",
    "feeds",
    "homepage",
    "package",
    "products",
    "profiles",
    "searchv3",
]

PREREQ_APPS = [
    # Django
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.postgres",
    "django.contrib.sessions",
    "django.contrib.sitemaps",
    "django.contrib.sites",
    "django.contrib.messages",
    "django.contrib.humanize",
    "django.contrib.staticfiles",
    # external
    "maintenance_mode",
    "django_better_admin_arrayfield",
    "django_extensions",
    "django_htmx",
    "django_tailwind_cli",
    "rest_framework",
    "reversion",
    "social_django",
    "waffle",
    "django_q",
    "anymail",
    # health checks
    "health_check",
]

INSTALLED_APPS = PREREQ_APPS + PROJECT_APPS

ANYMAIL = {
    "MAILGUN_API_KEY": env.str("MAILGUN_API_KEY", "mail-gun-api-key"),
    "MAILGUN_SENDER_DOMAIN": env.str("MAILGUN_SENDER_DOMAIN", "mail-gun-sender-domain"),
}


# Set the default scheme for forms.URLField to "https"
# TODO: Remove transitional setting in Django 6.0
FORMS_URLFIELD_ASSUME_HTTPS = True

MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

ABSOLUTE_URL_OVERRIDES = {
    "auth.user": lambda o: "/profiles/%s/" % o.username,
}

AUTH_PROFILE_MODULE = "profiles.Profile"

LOGIN_URL = "/login/"
LOGIN_REDIRECT_URLNAME = "home"
LOGOUT_REDIRECT_URL = "/"

EMAIL_CONFIRMATION_DAYS = 2
EMAIL_DEBUG = DEBUG

CACHE_TIMEOUT = 60 * 60

ROOT_URLCONF = "urls"

SECRET_KEY = env("SECRET_KEY", default="CHANGEME")

URCHIN_ID = ""

DEFAULT_FROM_EMAIL = "Django Packages <djangopackages-noreply@djangopackages.org>"

if DEBUG:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_SUBJECT_PREFIX = "[Django Packages] "
else:
    EMAIL_BACKEND = "anymail.backends.mailgun.MailgunBackend"
    EMAIL_SUBJECT_PREFIX = env("EMAIL_SUBJECT_PREFIX", default="[Django Packages] ")

SERVER_EMAIL = "info@djangopackages.org"

EMAIL_SUBJECT_PREFIX = "[Django Packages]"

PACKAGINATOR_HELP_TEXT = {
    "REPO_URL": "Enter your project repo hosting URL here. Example: https://github.com/djangopackages/djangopackages",
    "PYPI_URL": "<strong>Leave this blank if this package does not have a PyPI release.</strong> What PyPI uses to index your package. Example: django-uni-form",
}

PACKAGINATOR_SEARCH_PREFIX = "django"

# if set to False any auth user can add/modify packages
# only django admins can delete
RESTRICT_PACKAGE_EDITORS = False

# if set to False  any auth user can add/modify grids
# only django admins can delete
if DEBUG:
    RESTRICT_GRID_EDITORS = True
else:
    RESTRICT_GRID_EDITORS = False

# Sentry Configuration

if SENTRY_DSN := env("DJANGO_SENTRY_DSN", default=None):
    sentry_sdk.init(
        dsn=SENTRY_DSN,
        integrations=[DjangoIntegration(), RedisIntegration()],
        release=f"{__version__}",
        traces_sample_rate=env.float("SENTRY_TRACES_SAMPLE_RATE", default=0.025),
        profiles_sample_rate=env.float("SENTRY_PROFILES_SAMPLE_RATE", default=0.1),
        # If you wish to associate users to errors (assuming you are using
        # django.contrib.auth) you may enable sending PII data.
        send_default_pii=True,
    )


LOCAL_INSTALLED_APPS = []

########################## Site specific stuff
FRAMEWORK_TITLE = env("FRAMEWORK_TITLE", default="Django")
SITE_TITLE = env("SITE_TITLE", default="Django Packages")

PACKAGE_SCORE_MIN = env.int("PACKAGE_SCORE_MIN", default=-500)

if LOCAL_INSTALLED_APPS:
    INSTALLED_APPS.extend(LOCAL_INSTALLED_APPS)

SUPPORTED_REPO = ["bitbucket", "github", "gitlab", "codeberg", "forgejo"]

AUTHENTICATION_BACKENDS = (
    "social_core.backends.github.GithubOAuth2",
    "django.contrib.auth.backends.ModelBackend",
)

# GitLab settings
GITLAB_TOKEN = env("GITLAB_TOKEN", default="")

# GitHub settings
GITHUB_API_SECRET = env("GITHUB_API_SECRET", default="")
GITHUB_APP_ID = env("GITHUB_APP_ID", default="")
GITHUB_TOKEN = env("GITHUB_TOKEN", default="")

# GitHub OAuth for login settings
SOCIAL_AUTH_ASSOCIATE_URL_NAME = "associate_complete"
SOCIAL_AUTH_COMPLETE_URL_NAME = "socialauth_complete"
SOCIAL_AUTH_ENABLED_BACKENDS = ("github",)
SOCIAL_AUTH_GITHUB_KEY = env("SOCIAL_AUTH_GITHUB_KEY", default=GITHUB_APP_ID)
SOCIAL_AUTH_GITHUB_SECRET = env("SOCIAL_AUTH_GITHUB_SECRET", default=GITHUB_API_SECRET)


def SOCIAL_AUTH_DEFAULT_USERNAME(u):
    return slugify(u)


SOCIAL_AUTH_GITHUB_EXTRA_DATA = []
SOCIAL_AUTH_CHANGE_SIGNAL_ONLY = True
SOCIAL_AUTH_REDIRECT_IS_HTTPS = True
SOCIAL_AUTH_ADMIN_USER_SEARCH_FIELDS = ["username", "first_name", "email"]
LOGIN_REDIRECT_URL = "/"

# associate user via email
# SOCIAL_AUTH_ASSOCIATE_BY_MAIL = True


########## DATABASE CONFIGURATION
# ------------------------------------------------------------------------------
# Raises ImproperlyConfigured exception if DATABASE_URL not in os.environ
DATABASES = {"default": env.db("DATABASE_URL")}
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

# Connection pooling with psycopg3
# Requires CONN_MAX_AGE=0 when enabled
if ENABLE_CONN_POOL := env.bool("ENABLE_CONN_POOL", default=False):
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "pool": {
            "min_size": 4,
            "max_size": 16,
            "timeout": 10,
            "max_lifetime": 1800,
            "max_idle": 300,
        }
    }

########## END DATABASE CONFIGURATION


DEFAULT_AUTO_FIELD = "django.db.models.AutoField"

WSGI_APPLICATION = "wsgi.application"

if DEBUG and not TEST_MODE:
    INSTALLED_APPS += ["debug_toolbar"]
    MIDDLEWARE.append("debug_toolbar.middleware.DebugToolbarMiddleware")
    DEBUG_TOOLBAR_CONFIG = {
        "INTERCEPT_REDIRECTS": False,
        "SHOW_TOOLBAR_CALLBACK": lambda _request: DEBUG,
    }

########## django-secure

# TODO: remove django-secure
if not DEBUG:
    INSTALLED_APPS += [
        "djangosecure",
    ]

    # set this to 60 seconds and then to 518400 when you can prove it works
    SECURE_HSTS_SECONDS = 60
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_FRAME_DENY = True
    SECURE_CONTENT_TYPE_NOSNIFF = True
    SECURE_BROWSER_XSS_FILTER = True
    SESSION_COOKIE_SECURE = True
    SESSION_COOKIE_HTTPONLY = True

    # TODO: Change this to True when we get closer to real deployment
    SECURE_SSL_REDIRECT = False
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

    ########## end django-secure


ADMIN_URL_BASE = env("ADMIN_URL_BASE", default="admin/")

if not DEBUG:
    LOGGING = {
        "version": 1,
        "disable_existing_loggers": True,
        "root": {
            "level": "WARNING",
            "handlers": ["console"],
        },
        "formatters": {
            "json_formatter": {
                "()": structlog.stdlib.ProcessorFormatter,
                "processor": structlog.processors.JSONRenderer(),
            },
            "plain_console": {
                "()": structlog.stdlib.ProcessorFormatter,
                "processor": structlog.dev.ConsoleRenderer(),
            },
            "key_value": {
                "()": structlog.stdlib.ProcessorFormatter,
                "processor": structlog.processors.KeyValueRenderer(
                    key_order=["timestamp", "level", "event", "logger"]
                ),
            },
            "verbose": {
                "format": "%(levelname)s %(asctime)s %(module)s "
                "%(process)d %(thread)d %(message)s"
            },
        },
        "handlers": {
            "console": {
                "level": "DEBUG",
                "class": "logging.StreamHandler",
                "formatter": "plain_console",
            },
        },
        "loggers": {
            "django.db.backends": {
                "level": "ERROR",
                "handlers": ["console"],
                "propagate": True,
            },
            "django_structlog": {
                "handlers": ["console"],
                "level": "INFO",
                "propagate": False,
            },
        },
    }

    structlog.configure(
        processors=[
            structlog.contextvars.merge_contextvars,
            structlog.stdlib.filter_by_level,
            structlog.processors.TimeStamper(fmt="iso"),
            structlog.stdlib.add_logger_name,
            structlog.stdlib.add_log_level,
            structlog.stdlib.PositionalArgumentsFormatter(),
            structlog.processors.StackInfoRenderer(),
            structlog.processors.format_exc_info,
            structlog.processors.UnicodeDecoder(),
            structlog.stdlib.ProcessorFormatter.wrap_for_formatter,
        ],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )


URL_REGEX_GITHUB = r"(?:http|https|git)://github.com/[^/]*/([^/]*)/{0,1}"

########### redis setup

# import redis
# from rq import Worker, Queue, Connection

########### end redis setup

########### SEKURITY
ALLOWED_HOSTS = ["*"]

REST_FRAMEWORK = {
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.LimitOffsetPagination",
    "PAGE_SIZE": 20,
}

WAFFLE_CREATE_MISSING_SWITCHES = True
WAFFLE_CREATE_MISSING_FLAGS = True

# django-maintenance-mode settings
MAINTENANCE_MODE = None

# alternatively it is possible to use the default storage backend
MAINTENANCE_MODE_STATE_BACKEND = "maintenance_mode.backends.DefaultStorageBackend"

# if True admin site will not be affected by the maintenance-mode page
MAINTENANCE_MODE_IGNORE_ADMIN_SITE = True

# django-q2 settings
# https://django-q2.readthedocs.io/en/stable/configure.html
Q_CLUSTER = {
    "name": "djangopackages",
    "timeout": 600,  # this won't work for longer running tasks that might take hours to run
    "retry": 700,
    "max_attempts": 1,
    "workers": 4,
}

if Q_REDIS_URL := env("Q_REDIS_URL", default=None):
    Q_CLUSTER["redis"] = Q_REDIS_URL
else:
    Q_CLUSTER["orm"] = "default"

if DEBUG:
    DOCS_URL = "http://0.0.0.0:4000"
else:
    DOCS_URL = "https://docs.djangopackages.org/en/latest"

TAILWIND_CLI_AUTOMATIC_DOWNLOAD = DEBUG
TAILWIND_CLI_DIST_CSS = "css/tailwind.css"
TAILWIND_CLI_SRC_CSS = "tailwindcss.css"
TAILWIND_CLI_VERSION = "4.1.14"

# searchv3 — PostgreSQL full-text search settings
# PostgreSQL text search configuration (dictionary/stemming language).
SEARCHV3_SEARCH_CONFIG = "english"
# When enabled, adds a small weight boost to ranking.
SEARCHV3_USE_WEIGHT_BOOST = True
# Size of that ranking boost (higher value = stronger influence).
SEARCHV3_WEIGHT_BOOST = 0.02
# Enables typo-tolerant matching via trigram similarity.
SEARCHV3_USE_FUZZY = True
# Minimum trigram similarity required for fuzzy matches (0 to 1).
SEARCHV3_TRIGRAM_THRESHOLD = 0.2

DISPLAY_GRID_FEATURES = env.bool("DISPLAY_GRID_FEATURES", default=True)
