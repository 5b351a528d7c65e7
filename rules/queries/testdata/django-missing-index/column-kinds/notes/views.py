from .models import Note, Tag


def notes(request):
    # no B-tree serves text, JSON or binary columns, nor an isnull lookup: quiet
    by_body = Note.objects.filter(body=request.GET['q'])
    by_data = Note.objects.filter(data={'a': 1})
    by_blob = Note.objects.filter(blob=b'x')
    live = Note.objects.filter(archived_at__isnull=True)
    # owner has its ForeignKey's own index: quiet
    mine = Note.objects.filter(owner=request.user, archived_at__isnull=True)
    # (kind, created_at) serves the filter and the order: quiet
    recent = Note.objects.filter(kind='memo').order_by('-created_at')
    # the order counts: the index to add ends with it
    tags = Tag.objects.filter(slug=request.GET['t']).order_by('-created_at')  # want "Tag.objects.filter[(]slug[)]: no index leads with it; add Index[(]fields=[[]\"slug\", \"-created_at\"[]][)] to Tag.Meta.indexes"
    return by_body, by_data, by_blob, live, mine, recent, tags
