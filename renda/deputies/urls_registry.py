"""HTML pages of the deputies app: the registry part (included by urls.py, namespace `deputies`)."""

from __future__ import annotations

from django.urls import URLPattern, path

from . import views_photos as ph
from . import views_registry as v
from . import views_registry_groups as g
from . import views_roster as r

urlpatterns: list[URLPattern] = [
    path("", v.registry_list, name="registry"),
    path("export.xlsx", v.registry_export, name="registry_export"),
    path("my-record/", v.my_record, name="my_record"),
    path("<int:pk>/", v.deputy_detail, name="deputy_detail"),
    path("<int:pk>/id-number/", v.id_number_view, name="deputy_id_number"),
    path("<int:pk>/edit/", v.deputy_edit, name="deputy_edit"),
    path("<int:pk>/photo/", ph.deputy_photo, name="deputy_photo"),
    path("<int:pk>/photo/file", ph.deputy_photo_file, name="deputy_photo_file"),
    path("<int:pk>/suspend/", v.deputy_suspend, name="deputy_suspend"),
    path("<int:pk>/resume/", v.deputy_resume, name="deputy_resume"),
    path("<int:pk>/end/", v.deputy_end, name="deputy_end"),
    path("<int:pk>/published/", v.deputy_public_fields, name="deputy_public_fields"),
    path("<int:pk>/my-details/", v.my_details, name="my_details"),
    path("import/", r.import_upload, name="import"),
    path("import/confirm/", r.import_confirm, name="import_confirm"),
    path("import/template.xlsx", r.import_template, name="import_template"),
    path("delegations/", g.delegation_list, name="delegations"),
    path("delegations/<int:pk>/rename/", g.delegation_rename, name="delegation_rename"),
    path("groups/", g.group_list, name="groups"),
    path("groups/<int:pk>/", g.group_detail, name="group_detail"),
    path("groups/<int:pk>/search/", g.group_member_search, name="group_member_search"),
    path("groups/<int:pk>/members/", g.group_member, name="group_member"),
    path("tags/", g.tag_list, name="tags"),
    path("tags/<int:pk>/rename/", g.tag_rename, name="tag_rename"),
    path("tags/<int:pk>/remove/", g.tag_remove, name="tag_remove"),
]
