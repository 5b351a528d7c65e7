from .models import Product, Review


def catalogue(request):
    by_sku = Product.objects.filter(sku=request.GET['sku'])
    named = Product.objects.filter(name=request.GET['q'], in_stock=True)  # want "Product.objects.filter[(]name, in_stock[)]"
    good = Review.objects.filter(rating__gte=4)  # want "Review.objects.filter[(]rating[)]: no index leads with it"
    return by_sku, named, good
