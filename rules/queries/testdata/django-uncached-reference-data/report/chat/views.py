from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from core.models import Tone


class ToneSerializer(serializers.ModelSerializer):
    class Meta:
        model = Tone
        fields = ['id', 'name', 'description']


class ToneViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = ToneSerializer
    queryset = Tone.objects.filter(is_active=True)  # want "ToneViewSet lists Tone, reference data, from the database on every request: cache the list response"


class ChatViewSet(viewsets.ViewSet):
    @action(detail=False)
    def options(self, request):
        tones = list(Tone.objects.filter(is_active=True).values('id', 'name'))  # want "Tone.objects.filter[(]is_active=True[)].values[(]'id', 'name'[)] reads Tone, reference data, .*get_or_set[(]\"active_tones\""
        return Response({'tones': tones})
