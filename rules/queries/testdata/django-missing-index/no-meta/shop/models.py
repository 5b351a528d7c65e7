from django.db import models


class TimeStamped(models.Model):
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["-created"]


class Order(TimeStamped):
    number = models.CharField(max_length=20, unique=True)
    status = models.CharField(max_length=20)
    email = models.EmailField()


class Coupon(models.Model):
    code = models.CharField(max_length=20)
    expires = models.DateField()
