"""{{ event.verb|verb_label }}: an audit verb in words (renda.audit.verbs)."""

from django import template

from renda.audit.verbs import verb_label as _verb_label

register = template.Library()


@register.filter
def verb_label(verb: str) -> str:
    return _verb_label(verb)
