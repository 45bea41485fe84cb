from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def overview(request: HttpRequest) -> HttpResponse:
    return render(request, "base.html")


def year(request: HttpRequest, year: int) -> HttpResponse:
    return render(request, "base.html")
