from .tasks import render


def start(request):
    job = render.delay(request.GET["id"])
    return {"id": job.id}


def poll(request):
    res = render.apply_async(args=[1])
    if res.ready():
        return {"done": True}
    return {"progress": res.info}
