from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from .models import ChatSession, Message
from .serializers import MessageSerializer


class ChatSessionViewSet(viewsets.ModelViewSet):
    def get_queryset(self):
        return ChatSession.objects.filter(user=self.request.user).order_by('-updated_at')

    @action(detail=True)
    def ai_replies(self, request, pk=None):
        session = self.get_object()
        replies = Message.objects.filter(session=session, is_ai=True).order_by('-created_at')  # want "Message.objects.filter[(]session, is_ai[)]: the closest index, on [(]session, created_at[)], serves only session; add Index[(]fields=[[]'session', 'is_ai'[]][)] to Message.Meta.indexes, then run makemigrations"
        return Response(MessageSerializer(replies, many=True).data)


class PendingMessageViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = MessageSerializer

    def get_queryset(self):
        qs = Message.objects.all()
        return qs.filter(processing_status='pending')  # want "Message.objects.filter[(]processing_status[)]: no index leads with it; add Index[(]fields=[[]'processing_status'[]][)]"
