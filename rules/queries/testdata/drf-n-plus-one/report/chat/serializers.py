from rest_framework import serializers

from .models import ChatEvent, ChatSession, Message, TargetProfile


class TargetProfileSerializer(serializers.ModelSerializer):
    class Meta:
        model = TargetProfile
        fields = ['id', 'name', 'notes']


class ChatEventSerializer(serializers.ModelSerializer):
    class Meta:
        model = ChatEvent
        fields = ['id', 'kind', 'payload', 'created_at']


class MessageSerializer(serializers.ModelSerializer):
    class Meta:
        model = Message
        fields = ['id', 'content', 'is_ai', 'processing_status', 'created_at']


class ChatSessionSerializer(serializers.ModelSerializer):
    target_profile = TargetProfileSerializer(read_only=True)
    events = ChatEventSerializer(many=True, read_only=True)
    messages = MessageSerializer(many=True, read_only=True)
    language = serializers.SerializerMethodField()

    class Meta:
        model = ChatSession
        fields = ['id', 'title', 'target_profile', 'events', 'messages', 'language', 'created_at', 'updated_at']

    def get_language(self, obj):
        return obj.user.settings.language
