from .tasks import render


def poll(request):
    res = render.apply_async(args=[1])
    return {"state": res.state, "progress": res.info}
