# psycopg2 blocks gevent's hub on every query unless a wait callback lets
# it yield (psycogreen's patch_psycopg sets psycopg2.extensions.set_wait_callback).
def post_fork(server, worker):
    from psycogreen.gevent import patch_psycopg

    patch_psycopg()
