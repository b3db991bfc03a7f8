"""kombu's real Redis transport with the socket cut off.

`OfflineTransport` is kombu.transport.redis.Transport with one change: its
redis-py client never connects. PUBLISH goes to a sink (the recorder of
gen_events.py), PING answers True and every other command is a no-op. So
everything above the socket (envelope building, body encoding, channel name,
`dumps`, and on the receiving side `_receive_one` -> `_deliver` -> Consumer ->
Message.decode) is kombu's own code.
"""
import redis
from kombu.transport import redis as kredis
from kombu.utils import uuid as kombu_uuid


class OfflineRedis(redis.StrictRedis):
    sink = None  # callable(channel, payload) set by the user

    def execute_command(self, *args, **options):
        cmd = args[0]
        if cmd == 'PUBLISH':
            return OfflineRedis.sink(args[1], args[2])
        if cmd == 'PING':
            return True
        return None


class OfflineChannel(kredis.Channel):
    #: callable returning the next delivery tag (gen_events seeds it); kombu uses uuid4
    tag_factory = None

    def _get_client(self):
        return OfflineRedis

    def _next_delivery_tag(self):
        f = OfflineChannel.tag_factory
        return f() if f is not None else kombu_uuid()


class OfflineTransport(kredis.Transport):
    Channel = OfflineChannel


class FakePubSubConnection:
    """Stands in for redis-py's PubSub connection in Channel._receive_one:
    parse_response() hands out prepared RESP replies ['pmessage', pattern, channel, data]."""

    def __init__(self):
        self.parse_response = None
