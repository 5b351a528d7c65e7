# from psycogreen.gevent import patch_psycopg; patch_psycopg() would make it cooperate
timeout = 60
