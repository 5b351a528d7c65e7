from rest_framework import viewsets

from .models import ChatSession
from .serializers import ChatSessionSerializer


class ChatSessionViewSet(viewsets.ModelViewSet):
    serializer_class = ChatSessionSerializer

    def get_queryset(self):
        return ChatSession.objects.filter(  # want "ChatSessionViewSet lists ChatSession rows .*lacks select_related[(]'user__settings'[)] and prefetch_related[(]'messages'[)]"
            user=self.request.user
        ).select_related(
            'target_profile'
        ).prefetch_related(
            'events'
        ).order_by('-updated_at')
