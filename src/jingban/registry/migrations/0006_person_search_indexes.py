"""Indexes of the person search and list (registry/search.py, docs/adr/0011-finding-people.md).

A GIN index on the characters of a name (``string_to_array(lower(name), NULL)``) finds a part
of a name: the name must hold every character of the term, then ``LIKE`` checks their order.
pg_trgm's trigrams would not do: a Chinese name has two or three characters, and a two-character
part has no trigram to look up. Characters need no extension and build in well under a second
at a million persons (two-character pieces from a SQL function took 12 s).
"""

import django.contrib.postgres.indexes
import django.db.models.functions.datetime
import django.db.models.functions.text
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('registry', '0005_special_group_scheme_kinds'),
    ]

    operations = [
        migrations.AddIndex(
            model_name='person',
            index=models.Index(models.F('name'), models.F('id'), name='person_name_id'),
        ),
        migrations.AddIndex(
            model_name='person',
            index=models.Index(django.db.models.functions.text.Substr('document_number', 1, 6), models.F('id'), name='person_doc_prefix_id'),
        ),
        migrations.AddIndex(
            model_name='person',
            index=models.Index(django.db.models.functions.datetime.ExtractYear('birth_date'), models.F('id'), name='person_birth_year_id'),
        ),
        migrations.AddIndex(
            model_name='person',
            index=models.Index(models.F('region'), models.F('id'), name='person_region_id'),
        ),
        migrations.AddIndex(
            model_name='person',
            index=models.Index(fields=['document_number'], name='person_document_pattern', opclasses=['varchar_pattern_ops']),
        ),
        # Django writes the operator class of an expression inside its parentheses.
        migrations.RunSQL(
            "CREATE INDEX person_document_reversed ON registry_person ((reverse(document_number)) text_pattern_ops)",
            "DROP INDEX IF EXISTS person_document_reversed",
            state_operations=[
                migrations.AddIndex(
                    model_name='person',
                    index=models.Index(django.contrib.postgres.indexes.OpClass(django.db.models.functions.text.Reverse('document_number'), name='text_pattern_ops'), name='person_document_reversed'),
                ),
            ],
        ),
        # Django writes the operator class of an expression inside its parentheses.
        migrations.RunSQL(
            "CREATE INDEX person_phone_digits ON registry_person ((replace(phone, '-', '')) text_pattern_ops) WHERE NOT (phone = '')",
            "DROP INDEX IF EXISTS person_phone_digits",
            state_operations=[
                migrations.AddIndex(
                    model_name='person',
                    index=models.Index(django.contrib.postgres.indexes.OpClass(django.db.models.functions.text.Replace('phone', models.Value('-'), models.Value('')), name='text_pattern_ops'), condition=models.Q(('phone', ''), _negated=True), name='person_phone_digits'),
                ),
            ],
        ),
        # Django writes the operator class of an expression inside its parentheses.
        migrations.RunSQL(
            "CREATE INDEX person_phone_reversed ON registry_person ((reverse(replace(phone, '-', ''))) text_pattern_ops) WHERE NOT (phone = '')",
            "DROP INDEX IF EXISTS person_phone_reversed",
            state_operations=[
                migrations.AddIndex(
                    model_name='person',
                    index=models.Index(django.contrib.postgres.indexes.OpClass(django.db.models.functions.text.Reverse(django.db.models.functions.text.Replace('phone', models.Value('-'), models.Value(''))), name='text_pattern_ops'), condition=models.Q(('phone', ''), _negated=True), name='person_phone_reversed'),
                ),
            ],
        ),
        migrations.AddIndex(
            model_name='person',
            index=django.contrib.postgres.indexes.GinIndex(models.Func(django.db.models.functions.text.Lower('name'), models.Value(None), function='string_to_array'), name='person_name_chars'),
        ),
    ]
