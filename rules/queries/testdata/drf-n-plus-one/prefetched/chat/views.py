from django.db.models import Prefetch
from rest_framework import generics, viewsets

from .models import ChatSession, Message
from .serializers import ChatSessionSerializer


class ChatSessionViewSet(viewsets.ModelViewSet):
    serializer_class = ChatSessionSerializer

    def get_queryset(self):
        return ChatSession.objects.filter(
            user=self.request.user
        ).select_related(
            'target_profile',
            'user__settings',
        ).prefetch_related(
            'events',
            'messages',
        ).order_by('-updated_at')


class RecentSessionList(generics.ListAPIView):
    serializer_class = ChatSessionSerializer
    queryset = ChatSession.objects.select_related('target_profile', 'user__settings')

    def get_queryset(self):
        qs = super().get_queryset()
        return qs.prefetch_related('events', Prefetch('messages', queryset=Message.objects.filter(is_ai=False)))


class SessionDetail(generics.RetrieveAPIView):
    # One row: no N+1 to speak of.
    serializer_class = ChatSessionSerializer
    queryset = ChatSession.objects.all()


class DynamicSessions(viewsets.ReadOnlyModelViewSet):
    serializer_class = ChatSessionSerializer

    def get_queryset(self):
        # Arguments headroom cannot read may fetch anything.
        return ChatSession.objects.select_related(*self.related).prefetch_related(*self.prefetch)
