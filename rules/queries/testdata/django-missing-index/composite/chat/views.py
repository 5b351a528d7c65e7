from .models import ChatEvent, ChatSession, Message


def inbox(request, session_id):
    # (sender, is_ai, -created_at) leads with sender and is_ai.
    mine = Message.objects.filter(is_ai=False, sender=request.user)
    # (session, created_at): both columns, in either order, with a range.
    recent = Message.objects.filter(created_at__gte=request.since, session_id=session_id)
    # The primary key and the ForeignKey's own index.
    one = Message.objects.get(pk=session_id)
    events = ChatEvent.objects.filter(session=one.session).order_by('-created_at')
    # Only booleans: an index on a two-valued column alone is no help.
    ai = Message.objects.filter(is_ai=True)
    # Joins and text searches are not an index's to serve.
    found = Message.objects.filter(session__user=request.user, content__icontains='hi')
    # A whole-table ordering an index serves.
    latest = Message.objects.order_by('-created_at')[:20]
    # Q objects: not read.
    from django.db.models import Q
    either = Message.objects.filter(Q(is_ai=True) | Q(processing_status='failed'))
    sessions = ChatSession.objects.filter(user=request.user)
    return mine, recent, one, events, ai, found, latest, either, sessions
