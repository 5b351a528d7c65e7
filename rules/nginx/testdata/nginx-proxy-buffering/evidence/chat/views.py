from django.http import StreamingHttpResponse


def transcript(request, pk):
    def lines():
        yield "hello\n"

    return StreamingHttpResponse(lines(), content_type="text/plain")
