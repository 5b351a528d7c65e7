from .models import Invoice


def unpaid(request):
    # Invoice's parent is not read: a new class Meta would replace its Meta,
    # so the fix is unsafe.
    return Invoice.objects.filter(status="unpaid")  # want "Invoice.objects.filter[(]status[)]: no index leads with it"
