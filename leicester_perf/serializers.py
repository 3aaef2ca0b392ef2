"""JSON fixtures that keep datetimes to the microsecond.

Django's JSON serializer cuts datetimes to milliseconds (ECMA-262 style), so a backup made with
export_everything and loaded again came back with history times changed by up to a millisecond,
and a second export differed from the first. This encoder writes the full ISO 8601 time; Django's
own deserializer reads it unchanged. Registered as "json" in settings.SERIALIZATION_MODULES.
"""

import datetime

from django.core.serializers.json import Deserializer as Deserializer
from django.core.serializers.json import DjangoJSONEncoder
from django.core.serializers.json import Serializer as DjangoJSONSerializer


class MicrosecondJSONEncoder(DjangoJSONEncoder):
    def default(self, o):
        if isinstance(o, datetime.datetime):
            text = o.isoformat()
            return text.removesuffix("+00:00") + "Z" if text.endswith("+00:00") else text
        if isinstance(o, datetime.time) and o.microsecond:
            return o.isoformat()
        return super().default(o)


class Serializer(DjangoJSONSerializer):
    def _init_options(self):
        super()._init_options()
        self.json_kwargs["cls"] = MicrosecondJSONEncoder
