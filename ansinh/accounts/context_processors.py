def role(request):
    return {}
