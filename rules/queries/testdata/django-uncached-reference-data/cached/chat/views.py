from django.core.cache import cache
from django.utils.decorators import method_decorator
from django.views.decorators.cache import cache_page
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from core.models import Tone, UserSettings


@method_decorator(cache_page(3600), name='list')
class ToneViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Tone.objects.filter(is_active=True)


class ChatViewSet(viewsets.ViewSet):
    @action(detail=False)
    def options(self, request):
        tones = cache.get_or_set(
            'active_tones',
            lambda: list(Tone.objects.filter(is_active=True).values('id', 'name')),
            3600,
        )
        return Response({'tones': tones})

    @action(detail=False)
    def mine(self, request):
        # Per-user rows and request-dependent filters are not reference data.
        prefs = UserSettings.objects.filter(is_premium=True)
        chosen = Tone.objects.filter(is_active=True, name=request.GET['name'])
        return Response({'prefs': list(prefs), 'chosen': list(chosen)})
