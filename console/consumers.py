"""The console's websocket: one connection per open console page."""

from __future__ import annotations

from channels.generic.websocket import AsyncJsonWebsocketConsumer

from .live import user_group


class ConsoleConsumer(AsyncJsonWebsocketConsumer):
    """Joins the signed-in user's own group; events were filtered for them before sending."""

    async def connect(self) -> None:
        user = self.scope.get("user")
        if user is None or not user.is_authenticated or not user.is_active:
            await self.close(code=4401)
            return
        self.group = user_group(user.pk)
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()
        await self.send_json({"kind": "hello", "user": user.pk})

    async def disconnect(self, code: int) -> None:
        group = getattr(self, "group", None)
        if group:
            await self.channel_layer.group_discard(group, self.channel_name)

    async def receive_json(self, content, **kwargs) -> None:
        # The browser only listens; a ping keeps proxies from closing an idle socket.
        if content.get("kind") == "ping":
            await self.send_json({"kind": "pong"})

    async def console_event(self, message: dict) -> None:
        await self.send_json(message["event"])
