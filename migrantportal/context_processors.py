from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from migrantportal.menu import menu_for


def menu(request: HttpRequest) -> dict:
    return {"menu": SimpleLazyObject(lambda: menu_for(user=request.user))}
