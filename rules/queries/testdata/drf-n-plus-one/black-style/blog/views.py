from rest_framework import generics

from .models import Post
from .serializers import PostSerializer


class PostList(generics.ListAPIView):
    serializer_class = PostSerializer

    def get_queryset(self):
        return (
            Post.objects.filter(published__isnull=False)  # want "PostList lists Post rows with PostSerializer, which reads category_name [(]source \"category.name\"[)], comment_count [(]get_comment_count[(][)] reads post.comments[)], tags [(]in Meta.fields[)] .*select_related[(]\"category\"[)] and prefetch_related[(]\"comments\", \"tags\"[)]"
            .order_by("-published")
        )
