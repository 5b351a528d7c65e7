DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "OPTIONS": {
            "connect_timeout": 10,
            "keepalives": 0,
            # user-settable (max_parallel_workers, io_combine_limit, lock_timeout) and
            # backend (ignore_system_indexes) parameters are fine; pg_stat_statements.track
            # is an extension's setting
            # want "\"deadlock_timeout\" can only be set by a superuser \\(its context is \"superuser\"\\): every connection as a normal role fails"
            # want "\"log_connections\" can only be set by a superuser \\(its context is \"superuser-backend\"\\)"
            # want "\"shared_buffers\" is a server-wide PostgreSQL parameter \\(its context is \"postmaster\"\\)"
            # want "\"log_min_messages_x\" is not a PostgreSQL parameter"
            "options": "-c max_parallel_workers=4 -c io_combine_limit=16 -c lock_timeout=5000 -c ignore_system_indexes=off -c pg_stat_statements.track=all -c deadlock_timeout=2000 -c log_connections=on -c shared_buffers=1GB -c log_min_messages_x=1",
        },
    },
}
