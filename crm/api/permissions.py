from rest_framework.permissions import BasePermission


class IsStaffAccount(BasePermission):
    """Any signed-in, active staff account; what it sees is narrowed by jurisdiction."""

    message = "Sign in with a staff account."

    def has_permission(self, request, view) -> bool:
        user = request.user
        return bool(user and user.is_authenticated and user.is_active and user.role)
