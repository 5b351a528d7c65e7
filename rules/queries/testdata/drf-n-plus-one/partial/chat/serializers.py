from rest_framework import serializers

from .models import ChatSession, Message


class MessageSerializer(serializers.ModelSerializer):
    class Meta:
        model = Message
        fields = ['id', 'content', 'created_at']


class ChatSessionSerializer(serializers.ModelSerializer):
    recent = serializers.SerializerMethodField()
    event_count = serializers.SerializerMethodField()
    owner = serializers.SerializerMethodField()

    class Meta:
        model = ChatSession
        fields = ['id', 'title', 'recent', 'event_count', 'owner']

    def get_recent(self, obj):
        # the last five of possibly thousands: a prefetch would load them all
        return MessageSerializer(obj.messages.all()[:5], many=True).data

    def get_event_count(self, obj):
        return obj.events.count()

    def get_owner(self, obj):
        return obj.user.username
