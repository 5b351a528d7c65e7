import dj_database_url

# dj_database_url passes the URL's query on as OPTIONS: connect_timeout is
# there, the keepalives are not, and they go into the URL too
DATABASES = {
    # want "DATABASES..default.. is built from a database URL whose query .its OPTIONS. lacks keepalives, keepalives_idle"
    "default": dj_database_url.parse("postgres://app@db/app?connect_timeout=10", conn_max_age=600),
}
