from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from core.models import Tone

from .models import ChatSession, Message
from .serializers import ChatSessionSerializer, MessageSerializer


class ChatSessionViewSet(viewsets.ModelViewSet):
    serializer_class = ChatSessionSerializer
    permission_classes = [IsAuthenticated]

    def get_queryset(self):
        return ChatSession.objects.filter(
            user=self.request.user
        ).select_related(
            'target_profile'
        ).prefetch_related(
            'events'
        ).order_by('-updated_at')

    @action(detail=True, methods=['get'])
    def ai_replies(self, request, pk=None):
        session = self.get_object()
        replies = Message.objects.filter(session=session, is_ai=True).order_by('-created_at')
        return Response(MessageSerializer(replies, many=True).data)

    @action(detail=False, methods=['get'])
    def options(self, request):
        tones = list(Tone.objects.filter(is_active=True).values('id', 'name', 'description'))
        return Response({'tones': tones})


class PendingMessageViewSet(viewsets.ReadOnlyModelViewSet):
    """Messages still waiting for the AI queue, for the support dashboard."""

    serializer_class = MessageSerializer
    permission_classes = [IsAuthenticated]

    def get_queryset(self):
        return Message.objects.filter(processing_status=Message.ProcessingStatus.PENDING)
