from django.db import models


class Note(models.Model):
    owner = models.ForeignKey('auth.User', on_delete=models.CASCADE)
    kind = models.CharField(max_length=20)
    body = models.TextField()
    data = models.JSONField(default=dict)
    blob = models.BinaryField(null=True)
    archived_at = models.DateTimeField(null=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [
            models.Index(fields=['kind', '-created_at']),
        ]


class Tag(models.Model):
    label = models.CharField(max_length=50)
    slug = models.SlugField()
    created_at = models.DateTimeField(auto_now_add=True)
