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
        # the (session, created_at) index serves the filter and the order: quiet
        replies = Message.objects.filter(session=session, is_ai=True).order_by('-created_at')
        return Response(MessageSerializer(replies, many=True).data)


class PendingMessageViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = MessageSerializer

    def get_queryset(self):
        qs = Message.objects.all()
        return qs.filter(processing_status='pending')  # want "Message.objects.filter[(]processing_status[)]: no index serves it, and processing_status holds a few values .*add Index[(]fields=[[]'id'[]], condition=models.Q[(]processing_status='pending'[)], name='message_pending_id_ix'[)] to Message.Meta.indexes"
