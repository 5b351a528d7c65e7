from django.db import models
from audit.models import AuditedModel


class Invoice(AuditedModel):
    number = models.CharField(max_length=20, unique=True)
    status = models.CharField(max_length=20)
