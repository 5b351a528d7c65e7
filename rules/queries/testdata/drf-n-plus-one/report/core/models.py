from django.conf import settings
from django.db import models


class Tone(models.Model):
    name = models.CharField(max_length=50, unique=True)
    description = models.TextField(blank=True)
    is_active = models.BooleanField(default=True)
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ['sort_order', 'name']

    def __str__(self):
        return self.name


class UserSettings(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name='settings',
    )
    default_tone = models.ForeignKey(Tone, on_delete=models.SET_NULL, null=True, blank=True)
    language = models.CharField(max_length=10, default='en')
    is_premium = models.BooleanField(default=False)
