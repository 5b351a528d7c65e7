from .models import Coupon, Order


def orders(request):
    by_number = Order.objects.get(number=request.GET["n"])
    open_orders = Order.objects.filter(status="open", email=request.user.email)  # want "Order.objects.filter[(]status, email[)]: no index leads with any of them; add Index[(]fields=[[]\"status\", \"email\"[]][)] to Order.Meta.indexes"
    return by_number, open_orders


def coupons(request):
    return Coupon.objects.order_by("-expires")  # want "Coupon.objects.order_by[(]\"-expires\"[)] over the whole table: no index leads with it; add Index[(]fields=[[]\"-expires\"[]][)]"
