"""Static files as `make run` and production serve them: collected with a manifest, all local."""

from __future__ import annotations

from django.core.management import call_command
from django.test import override_settings

MANIFEST_STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}


def test_collectstatic_with_the_production_manifest_succeeds(tmp_path):
    """Every file a stylesheet or script references (source maps included) must exist, or
    `make run` stops at collectstatic."""
    with override_settings(STATIC_ROOT=tmp_path, STORAGES=MANIFEST_STORAGES):
        call_command("collectstatic", interactive=False, verbosity=0)
    assert (tmp_path / "staticfiles.json").exists()
    assert list(tmp_path.glob("vendor/bootstrap-5.3.8/bootstrap.min.*.css"))
    assert list(tmp_path.glob("django_htmx/htmx-2.min.*.js"))
