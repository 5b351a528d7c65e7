from django.db import models


class Product(models.Model):
    sku = models.CharField(max_length=20)
    name = models.CharField(max_length=200)
    in_stock = models.BooleanField(default=True)

    class Meta:
        ordering = ('name',)
        unique_together = ('sku', 'name')


class Review(models.Model):
    product = models.ForeignKey(Product, on_delete=models.CASCADE)
    rating = models.IntegerField()

    class Meta:
        indexes = [models.Index(fields=['product', 'rating'])]
