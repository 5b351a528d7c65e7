from rest_framework import viewsets

from .models import Book
from .serializers import BookIdSerializer, BookSerializer


class BookViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Book.objects.all()  # want "BookViewSet lists Book rows with BookSerializer, which reads author [(]Meta.depth = 1[)], publisher [(]Meta.depth = 1[)] .*select_related[(]'author', 'publisher'[)]"
    serializer_class = BookSerializer


class BookIdViewSet(viewsets.ReadOnlyModelViewSet):
    # Keys only: DRF reads author_id without loading the author.
    queryset = Book.objects.all()
    serializer_class = BookIdSerializer
