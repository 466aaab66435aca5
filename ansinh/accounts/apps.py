from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "ansinh.accounts"
    verbose_name = "Người dùng và phân quyền"

    def ready(self):
        from django.contrib.auth.models import Group, Permission, User
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from ansinh.areas.models import AdministrativeUnit, SiOffice, UnitMapping
        from ansinh.areas.signals import map_loaded
        from ansinh.collection.models import AgentCatchment

        from .backends import permission_cache_clear
        from .services import scope_cache_clear

        for model in (User, Group, Permission):
            for signal in (post_save, post_delete):
                signal.connect(permission_cache_clear, sender=model,
                               dispatch_uid=f"ansinh.perms.{signal}.{model.__name__}")
        for through in (User.groups.through, User.user_permissions.through, Group.permissions.through):
            m2m_changed.connect(permission_cache_clear, sender=through, dispatch_uid=f"ansinh.perms.m2m.{through.__name__}")

        for model in (AdministrativeUnit, UnitMapping, SiOffice, AgentCatchment):
            for signal in (post_save, post_delete):
                signal.connect(scope_cache_clear, sender=model, dispatch_uid=f"ansinh.scope.{signal}.{model.__name__}")
        m2m_changed.connect(scope_cache_clear, sender=SiOffice.communes.through, dispatch_uid="ansinh.scope.m2m.office")
        map_loaded.connect(scope_cache_clear, dispatch_uid="ansinh.scope.map_loaded")
