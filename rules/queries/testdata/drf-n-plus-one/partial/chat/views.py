from rest_framework import viewsets

from .models import ChatSession
from .serializers import ChatSessionSerializer


class ChatSessionViewSet(viewsets.ModelViewSet):
    serializer_class = ChatSessionSerializer

    def get_queryset(self):
        return ChatSession.objects.filter(  # want "lacks select_related[(]'user'[)] and prefetch_related[(]'messages', 'events'[)].*recent .* takes a slice of messages, event_count .* takes count[(][)] of events"
            user=self.request.user
        ).order_by('-updated_at')
