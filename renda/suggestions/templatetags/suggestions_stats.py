"""`{{ value|pct }}`: a rate of the statistics as "71.4%", or a dash read out as "no data"."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def pct(value: Any) -> SafeString:
    if value is None:
        return format_html(
            '<span aria-hidden="true">—</span><span class="visually-hidden">{}</span>',
            _("no data"),
        )
    return format_html("{}%", f"{value:.1f}")
