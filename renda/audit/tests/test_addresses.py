"""The client address recorded by the audit trail and used by login throttling."""

from __future__ import annotations

from django.test import RequestFactory, override_settings

from renda.audit.addresses import client_address

rf = RequestFactory()


def test_direct_requests_use_the_socket_address_and_ignore_forwarded_headers():
    request = rf.get("/", REMOTE_ADDR="10.1.2.3", HTTP_X_FORWARDED_FOR="6.6.6.6")
    assert client_address(request) == "10.1.2.3"


@override_settings(RENDA_BEHIND_PROXY=True)
def test_behind_the_proxy_the_right_most_forwarded_entry_counts():
    request = rf.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.9")
    assert client_address(request) == "203.0.113.9"


@override_settings(RENDA_BEHIND_PROXY=True)
def test_garbage_in_the_header_falls_back_to_the_socket_address():
    request = rf.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="<script>, not-an-ip")
    assert client_address(request) == "127.0.0.1"


def test_ipv6_addresses_are_normalised():
    request = rf.get("/", REMOTE_ADDR="2001:DB8:0:0::1")
    assert client_address(request) == "2001:db8::1"
