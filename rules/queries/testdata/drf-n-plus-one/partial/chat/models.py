from django.conf import settings
from django.db import models


class ChatSession(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name='chat_sessions')
    title = models.CharField(max_length=200, blank=True)
    updated_at = models.DateTimeField(auto_now=True)


class ChatEvent(models.Model):
    session = models.ForeignKey(ChatSession, on_delete=models.CASCADE, related_name='events')
    kind = models.CharField(max_length=50)


class Message(models.Model):
    session = models.ForeignKey(ChatSession, on_delete=models.CASCADE, related_name='messages')
    content = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)
