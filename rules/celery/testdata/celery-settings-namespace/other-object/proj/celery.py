from celery import Celery

app = Celery("proj")
app.config_from_object("proj.celeryconfig")  # want "loads its configuration from \"proj.celeryconfig\""
