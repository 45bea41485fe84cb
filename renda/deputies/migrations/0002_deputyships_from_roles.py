"""Every person who already holds the deputy role gets a Person and a deputyship in their
congress's latest term, so the registry and the roles agree from the start (the role follows
the deputyship from now on: renda.deputies.actions.registry.sync_deputy_role)."""

import secrets

from django.db import migrations


def forwards(apps, schema_editor):
    RoleAssignment = apps.get_model("accounts", "RoleAssignment")
    Term = apps.get_model("orgs", "Term")
    Person = apps.get_model("deputies", "Person")
    Deputyship = apps.get_model("deputies", "Deputyship")
    latest_term = {}
    for term in Term.objects.order_by("congress_id", "number"):
        latest_term[term.congress_id] = term
    roles = RoleAssignment.objects.filter(role="deputy", congress__isnull=False).select_related(
        "user"
    )
    for ra in roles.iterator():
        term = latest_term.get(ra.congress_id)
        if term is None:
            continue
        person = Person.objects.filter(user_id=ra.user_id).first()
        if person is None:
            person = Person.objects.create(
                user_id=ra.user_id, name=(ra.user.full_name or ra.user.username)[:50]
            )
        if not Deputyship.objects.filter(person=person, term=term).exists():
            Deputyship.objects.create(
                person=person,
                congress_id=ra.congress_id,
                term=term,
                public_fields=["gender", "ethnicity", "party", "workplace", "electoral_unit",
                               "delegation"],
                public_code=secrets.token_urlsafe(9),
            )


class Migration(migrations.Migration):
    dependencies = [
        ("deputies", "0001_initial"),
        ("accounts", "0003_role_assignment_unique_on_every_database"),
        ("orgs", "0002_division_codes_and_term_dates"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
